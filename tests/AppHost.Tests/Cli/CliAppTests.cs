using System.Collections.Concurrent;
using System.Collections.Immutable;
using DevEnv.AppHost.Cli;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Tests.Model;

namespace DevEnv.AppHost.Tests.Cli;

public sealed class CliAppTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private readonly ConcurrentQueue<string> _journal = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    private DevEnvironment Build(Action<DevEnvironmentBuilder, FakeResource, FakeResource, FakeResource>? configure = null)
    {
        var builder = new DevEnvironmentBuilder(new EnvironmentSettings { Name = "t-cli", SourceRoot = Path.GetTempPath() });
        var registry = builder.AddResource(new FakeResource("registry", _journal, "Registry"));
        var image = builder.AddResource(new FakeResource("image", _journal, "Image"));
        image.DependsOn(registry);
        var cluster = builder.AddResource(new FakeResource("cluster", _journal, "Cluster"));
        configure?.Invoke(builder, registry, image, cluster);
        return builder.Build();
    }

    private Task<int> Run(DevEnvironment env, params string[] args) => env.RunAsync(args, new CliConsole(_out, _err, Interactive: false), Ct);

    [Fact]
    public async Task Manifests_prints_one_yaml_stream_on_stdout_byte_identical_each_time()
    {
        void Configure(DevEnvironmentBuilder b, FakeResource r, FakeResource i, FakeResource c)
        {
            c.Manifests.Add("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n");
            c.Manifests.Add("apiVersion: v1\nkind: Service\n");
        }

        await using var first = Build(Configure);
        Assert.Equal(0, await Run(first, "manifests"));
        var once = _out.ToString();
        _out.GetStringBuilder().Clear();
        await using var second = Build(Configure);
        Assert.Equal(0, await Run(second, "manifests"));

        Assert.Equal("---\nkind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n---\napiVersion: v1\nkind: Service\n", once);
        Assert.Equal(once, _out.ToString());
        Assert.Contains("2 documents", _err.ToString());
        Assert.Empty(_journal);
    }

    [Fact]
    public async Task Status_reports_states_without_starting_anything()
    {
        await using var env = Build();

        Assert.Equal(0, await Run(env, "status"));

        Assert.All(_journal, e => Assert.StartsWith("probe:", e));
        Assert.Contains("registry  Registry  Stopped     not created", _out.ToString());
    }

    [Fact]
    public async Task Down_tears_down_in_reverse_order_and_purge_removes_data()
    {
        await using var env = Build();

        Assert.Equal(0, await Run(env, "down", "--purge"));

        Assert.Equal(["destroy:cluster", "destroy:image", "destroy:registry", "purge:cluster", "purge:image", "purge:registry"], _journal);
        Assert.Contains("including the registry volume", _out.ToString());
    }

    [Fact]
    public async Task Build_starts_only_registry_and_image_and_prints_the_image_facts()
    {
        await using var env = Build((_, _, image, _) => image.OnStart = (c, _) =>
        {
            c.Update(s => s with { Properties = ImmutableDictionary<string, string>.Empty.Add("tag", "localhost:5001/sampleapi:abc123").Add("stage.publish", "17.8s") });
            return Task.CompletedTask;
        });

        Assert.Equal(0, await Run(env, "build"));

        Assert.DoesNotContain("start:cluster", _journal);
        var output = _out.ToString();
        Assert.Contains("image: Running", output);
        Assert.Contains("tag                    localhost:5001/sampleapi:abc123", output);
        Assert.Contains("stage.publish", output);
    }

    [Fact]
    public async Task A_failure_is_one_actionable_line_and_a_non_zero_exit()
    {
        await using var env = Build((_, registry, _, _) => registry.OnStart = (_, _) => throw new InvalidOperationException("Docker is not running: start it and retry"));

        Assert.Equal(1, await Run(env, "build"));

        var errors = _err.ToString();
        Assert.Contains("error: build failed: registry: Docker is not running: start it and retry", errors);
        Assert.DoesNotContain("   at ", errors);
    }

    [Fact]
    public async Task Up_detached_starts_the_graph_and_prints_the_summary()
    {
        await using var env = Build((_, registry, _, cluster) =>
        {
            registry.OnStart = (c, _) =>
            {
                c.Update(s => s with { Endpoints = [new ResourceEndpoint("registry", "http://localhost:5001/v2/")] });
                return Task.CompletedTask;
            };
            cluster.OnStart = (_, _) => throw new InvalidOperationException("no node image can be obtained");
        });

        Assert.Equal(1, await Run(env, "up", "--detach", "--no-dashboard"));

        var output = _out.ToString();
        Assert.Contains("registry  Registry  Running     http://localhost:5001/v2/", output);
        Assert.Contains("cluster   Cluster   Failed      no node image can be obtained", output);
    }

    [Fact]
    public async Task Verify_rollout_without_a_verifier_says_what_to_wire()
    {
        await using var env = Build();

        Assert.Equal(1, await Run(env, "verify-rollout"));

        Assert.Contains("no resource offers verify-rollout", _err.ToString());
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("--fast")]
    [InlineData("up", "--purge")]
    [InlineData("up", "down")]
    public async Task Wrong_command_lines_print_the_usage_and_exit_2(params string[] args)
    {
        await using var env = Build();

        Assert.Equal(CliApp.UsageError, await Run(env, args));

        Assert.Contains("usage: dotnet run --project AppHost", _err.ToString());
        Assert.Empty(_journal);
    }
}
