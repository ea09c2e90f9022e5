using DevEnv.Hosting.Clients.Process;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>
/// The product ran a command the <see cref="FakeProcessRunner"/> was not told about. A type of its own, so no
/// product catch (nor a test expecting the product's own exceptions) mistakes it for a real failure.
/// </summary>
public sealed class UnscriptedCommandException(ProcessSpec spec)
    : Exception($"The fake process runner was not told about `{spec}`: script it with On(...) or the product should not run it.")
{
    /// <summary>The command that was run.</summary>
    public ProcessSpec Spec { get; } = spec;
}
