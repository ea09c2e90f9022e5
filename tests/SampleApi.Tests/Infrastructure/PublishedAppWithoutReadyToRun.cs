namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>
/// SampleApi published trimmed with <c>-p:ReadyToRunSet=none</c>: no precompiled code at all, which is the publish
/// that crashed at start-up without ServiceDefaults' ILLink descriptor (see ServiceDefaults/ILLink.Descriptors.xml).
/// SAMPLEAPI_PUBLISHED_DIR_NO_R2R reuses an existing one.
/// </summary>
public sealed class PublishedAppWithoutReadyToRun : PublishedApp
{
    protected override string ReuseVariable => "SAMPLEAPI_PUBLISHED_DIR_NO_R2R";

    protected override IReadOnlyList<string> ExtraProperties => ["ReadyToRunSet=none"];
}
