using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace DevEnv.Diagnostics.Agent;

/// <summary>
/// What a trace asks the runtime for. The default is what <c>dotnet-trace collect</c> 10 records without options
/// (its dotnet-common and dotnet-sampled-thread-time profiles): every managed thread's stack about 100 times a second, and
/// the runtime's GC, loader, JIT, exception and threading events, so PerfView, Visual Studio or speedscope can show where
/// time goes by method. The rundown at the end names every method that ran.
/// </summary>
public static class TraceProfile
{
    /// <summary>The runtime's keywords of dotnet-trace's dotnet-common profile (GC, loader, JIT, exceptions, threading, IL maps, compilation).</summary>
    public const long RuntimeKeywords = 0x100003801D;

    /// <summary>The providers of the default CPU (sampled thread time) trace.</summary>
    public static IReadOnlyList<EventPipeProvider> CpuSampling { get; } =
    [
        new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
        new("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, RuntimeKeywords),
    ];
}
