using DevEnv.Rollout.Tests.Harness;

// One image build for the whole project: the publish is the slow part.
[assembly: AssemblyFixture(typeof(SampleApiImage))]

// One test class at a time: the stand-in cluster's timings (probes, drain, zero failed requests) must not share the two
// cores with another class's dotnet-watch build or load generator.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
