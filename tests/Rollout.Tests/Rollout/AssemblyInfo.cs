using DevEnv.Rollout.Tests.Harness;

// One image build for the whole project: the publish is the slow part.
[assembly: AssemblyFixture(typeof(SampleApiImage))]
