using DevEnv.AppHost.Clients.Kubectl;

namespace DevEnv.AppHost.Tests.Clients.Kubectl;

public sealed class KubectlJsonTests
{
    /// <summary>Trimmed from `kubectl get pods -o json` of a Deployment mid-rollout: one healthy pod, one crashing.</summary>
    internal const string PodsJson = """
        {"apiVersion":"v1","kind":"List","items":[
          {"metadata":{"name":"sampleapi-7d9c-good","labels":{"app.kubernetes.io/name":"sampleapi","pod-template-hash":"7d9c"},
                       "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"sampleapi-7d9c","controller":true}]},
           "spec":{"nodeName":"devenv-worker","containers":[{"name":"sampleapi","image":"localhost:5001/sampleapi:abc123"}]},
           "status":{"phase":"Running",
                     "conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
                     "containerStatuses":[{"name":"sampleapi","ready":true,"restartCount":0,
                        "image":"localhost:5001/sampleapi:abc123",
                        "imageID":"localhost:5001/sampleapi@sha256:1111111111111111111111111111111111111111111111111111111111111111",
                        "state":{"running":{"startedAt":"2026-11-22T04:00:00Z"}}}]}},
          {"metadata":{"name":"sampleapi-7d9c-bad","labels":{"app.kubernetes.io/name":"sampleapi","pod-template-hash":"7d9c"},
                       "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"sampleapi-7d9c","controller":true}]},
           "spec":{"nodeName":"devenv-worker2","containers":[{"name":"sampleapi","image":"localhost:5001/sampleapi:abc123"}]},
           "status":{"phase":"Running",
                     "conditions":[{"type":"Ready","status":"False"}],
                     "containerStatuses":[{"name":"sampleapi","ready":false,"restartCount":2,
                        "image":"localhost:5001/sampleapi:abc123","imageID":"",
                        "lastState":{"terminated":{"reason":"Error","exitCode":134}},
                        "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 20s restarting failed container"}}}]}}
        ]}
        """;

    [Fact]
    public void Pods_are_read_into_typed_state_for_the_dashboard()
    {
        var events = new[]
        {
            new KubeEvent("sampleapi-7d9c-bad", "Warning", "Unhealthy", "Liveness probe failed: exit code 1", 3),
            new KubeEvent("sampleapi-7d9c-bad", "Warning", "BackOff", "Back-off restarting failed container", 5),
            new KubeEvent("sampleapi-7d9c-good", "Normal", "Pulled", "Container image already present", 1),
        };

        var pods = KubectlJson.ParsePods(PodsJson, events);

        Assert.Equal(2, pods.Count);
        var good = pods[0];
        Assert.Equal("sampleapi-7d9c-good", good.Name);
        Assert.Equal("sampleapi-7d9c", good.ReplicaSet);
        Assert.Equal("7d9c", good.PodTemplateHash);
        Assert.True(good.Ready);
        Assert.Equal("Running", good.Phase);
        Assert.Equal(0, good.Restarts);
        Assert.Equal("localhost:5001/sampleapi:abc123", good.Image);
        Assert.Equal("sha256:1111111111111111111111111111111111111111111111111111111111111111", good.Digest);
        Assert.Null(good.StateReason);
        Assert.Equal("devenv-worker", good.Node);
        Assert.Empty(good.ProbeFailures);

        var bad = pods[1];
        Assert.False(bad.Ready);
        Assert.Equal(2, bad.Restarts);
        Assert.Equal("CrashLoopBackOff", bad.StateReason);
        Assert.Equal("back-off 20s restarting failed container", bad.StateMessage);
        Assert.Equal("Error", bad.LastTerminationReason);
        Assert.Null(bad.ImageId);
        Assert.Equal(["Warning Unhealthy: Liveness probe failed: exit code 1 (x3)"], bad.ProbeFailures);
    }

    [Fact]
    public void Nodes_report_their_ready_condition()
    {
        const string json = """
            {"items":[
              {"metadata":{"name":"devenv-control-plane"},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.36.1"}}},
              {"metadata":{"name":"devenv-worker"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}],"nodeInfo":{"kubeletVersion":"v1.36.1"}}}
            ]}
            """;

        var nodes = KubectlJson.ParseNodes(json);

        Assert.Equal([new NodeState("devenv-control-plane", true, "v1.36.1"), new NodeState("devenv-worker", false, "v1.36.1")], nodes);
    }

    [Theory]
    [InlineData(3, 3, 3, 3, 2, 2, true)]
    [InlineData(3, 4, 1, 3, 2, 2, false)] // a surge pod of the new template is still coming up
    [InlineData(3, 3, 3, 3, 2, 3, false)] // the controller has not seen the newest spec yet
    public void Deployment_counts_and_rollout_completion(int desired, int total, int updated, int available, int observed, int generation, bool rolledOut)
    {
        var json = $$$"""
            {"metadata":{"generation":{{{generation}}}},"spec":{"replicas":{{{desired}}}},
             "status":{"observedGeneration":{{{observed}}},"replicas":{{{total}}},"updatedReplicas":{{{updated}}},"readyReplicas":{{{available}}},"availableReplicas":{{{available}}}}}
            """;

        var state = KubectlJson.ParseDeployment(json);

        Assert.Equal(desired, state.Desired);
        Assert.Equal(available, state.Ready);
        Assert.Equal(rolledOut, state.RolledOut);
    }
}
