using System.Runtime.Versioning;

// These tests run the linux-x64 publish of SampleApi and send it POSIX signals.
[assembly: SupportedOSPlatform("linux")]
