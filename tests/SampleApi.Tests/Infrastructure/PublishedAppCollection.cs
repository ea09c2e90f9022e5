namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>
/// Every test that runs SampleApi shares one publish and runs one after another: the timing assertions
/// must not compete with each other for the machine's two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PublishedAppCollection : ICollectionFixture<PublishedApp>
{
    /// <summary>Collection name.</summary>
    public const string Name = "Published SampleApi";
}
