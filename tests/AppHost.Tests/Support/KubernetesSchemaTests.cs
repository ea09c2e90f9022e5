namespace DevEnv.AppHost.Tests.Support;

/// <summary>The validator itself: it must catch what the API server would reject.</summary>
public sealed class KubernetesSchemaTests
{
    private const string Valid = """
        apiVersion: v1
        kind: Service
        metadata:
          name: s
          labels:
            a: b
        spec:
          type: NodePort
          ports:
          - port: 80
            targetPort: http
            nodePort: 31000
        """;

    [Fact]
    public void A_valid_manifest_has_no_errors()
    {
        Assert.Empty(KubernetesSchema.Instance.Validate(Valid));
    }

    [Fact]
    public void An_unknown_field_is_an_error()
    {
        var errors = KubernetesSchema.Instance.Validate(Valid.Replace("    nodePort: 31000", "    nodePort: 31000\n    hostPort: 1"));

        Assert.Equal(["Service.spec.ports[0].hostPort: unknown field"], errors);
    }

    [Fact]
    public void A_wrong_type_is_an_error()
    {
        var errors = KubernetesSchema.Instance.Validate(Valid.Replace("nodePort: 31000", "nodePort: \"31000\""));

        Assert.Equal(["Service.spec.ports[0].nodePort: expected integer (int32), got '31000'"], errors);
    }

    [Fact]
    public void A_missing_required_field_is_an_error()
    {
        var errors = KubernetesSchema.Instance.Validate(Valid.Replace("  - port: 80\n", "  - name: web\n"));

        Assert.Equal(["Service.spec.ports[0].port: required field missing"], errors);
    }

    [Fact]
    public void Int_or_string_takes_both_and_a_bare_typed_string_is_caught()
    {
        Assert.Empty(KubernetesSchema.Instance.Validate(Valid.Replace("targetPort: http", "targetPort: 8080")));
        // An env value of 00:00:05 unquoted is a number to a YAML 1.1 reader, not the string the app expects.
        var errors = KubernetesSchema.Instance.Validate("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: c
            data:
              delay: 00:00:05
            """);
        Assert.Equal(["ConfigMap.data.delay: expected string, got '00:00:05'"], errors);
    }

    [Fact]
    public void Quantities_are_checked()
    {
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
              - name: c
                resources:
                  limits:
                    cpu: 500m
                    memory: 12 MB
            """;

        Assert.Equal(["Pod.spec.containers[0].resources.limits.memory: not a quantity"], KubernetesSchema.Instance.Validate(pod));
    }

    [Fact]
    public void An_unknown_kind_is_an_error()
    {
        Assert.Equal(["Widget: no definition for example.com/v1 Widget in the schema"],
            KubernetesSchema.Instance.Validate("apiVersion: example.com/v1\nkind: Widget\n"));
    }
}
