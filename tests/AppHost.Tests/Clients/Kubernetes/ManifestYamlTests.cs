using DevEnv.Hosting.Clients.Kubernetes;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Clients.Kubernetes;

public sealed class ManifestYamlTests
{
    [Theory]
    [InlineData("00:00:05")] // base-60 integer to a YAML 1.1 reader; KubernetesYaml alone leaves it plain
    [InlineData("true")]
    [InlineData("on")]
    [InlineData("8080")]
    [InlineData("1.5")]
    [InlineData("localhost:5001/sampleapi:abc")]
    [InlineData("")]
    [InlineData("~")]
    public void Strings_a_yaml_reader_could_misread_are_double_quoted(string value)
    {
        var yaml = ManifestYaml.Serialize(new V1EnvVar { Name = "X", Value = value });

        Assert.Equal($"name: X\nvalue: \"{value}\"\n", yaml);
        Assert.Equal(value, KubernetesYaml.Deserialize<V1EnvVar>(yaml).Value);
    }

    [Fact]
    public void Api_names_come_from_the_models_json_names_and_nulls_are_omitted()
    {
        var yaml = ManifestYaml.Serialize(new V1ObjectMeta { Name = "app", NamespaceProperty = "default" });

        Assert.Equal("name: app\nnamespace: default\n", yaml);
    }

    [Fact]
    public void Int_or_string_and_quantities_are_scalars_of_their_own_type()
    {
        var yaml = ManifestYaml.Serialize(new V1HTTPGetAction { Path = "/healthz", Port = "http" })
            + ManifestYaml.Serialize(new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = "25%" })
            + ManifestYaml.Serialize(new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") });

        Assert.Equal("path: /healthz\nport: http\nmaxSurge: 1\nmaxUnavailable: 25%\nsizeLimit: 64Mi\n", yaml);
    }

    [Fact]
    public void Multi_line_strings_are_literal_blocks()
    {
        var yaml = ManifestYaml.Serialize(new V1EnvVar { Name = "X", Value = "line one\nline two\n" });

        Assert.Equal("name: X\nvalue: |\n  line one\n  line two\n", yaml);
    }

    [Fact]
    public void An_empty_object_is_written_as_an_empty_mapping()
    {
        Assert.Equal("emptyDir: {}\nname: tmp\n", ManifestYaml.Serialize(new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }));
    }

    [Fact]
    public void Join_makes_one_multi_document_stream()
    {
        Assert.Equal("---\na: 1\n---\nb: 2\n", ManifestYaml.Join(["a: 1\n", "b: 2"]));
    }
}
