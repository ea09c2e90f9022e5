using DevEnv.AppHost.Clients.Kubectl.Manifests;

namespace DevEnv.AppHost.Tests.Clients.Kubectl.Manifests;

public sealed class ManifestYamlTests
{
    [Theory]
    [InlineData("00:00:05")] // base-60 integer to a YAML 1.1 reader
    [InlineData("true")]
    [InlineData("on")]
    [InlineData("8080")]
    [InlineData("1.5")]
    [InlineData("localhost:5001/sampleapi:abc")]
    [InlineData("")]
    [InlineData("~")]
    public void Strings_a_yaml_reader_could_misread_are_double_quoted(string value)
    {
        var yaml = ManifestYaml.Serialize(new EnvVar { Name = "X", Value = value });

        Assert.Equal($"name: X\nvalue: \"{value}\"\n", yaml);
    }

    [Fact]
    public void Plain_words_stay_plain_and_nulls_are_omitted()
    {
        Assert.Equal("name: app.kubernetes.io/name\n", ManifestYaml.Serialize(new EnvVar { Name = "app.kubernetes.io/name" }));
    }

    [Fact]
    public void Multi_line_strings_are_literal_blocks()
    {
        var yaml = ManifestYaml.Serialize(new EnvVar { Name = "X", Value = "line one\nline two\n" });

        Assert.Equal("name: X\nvalue: |\n  line one\n  line two\n", yaml);
    }

    [Fact]
    public void An_empty_object_is_written_as_an_empty_mapping()
    {
        Assert.Equal("name: tmp\nemptyDir: {}\n", ManifestYaml.Serialize(new Volume { Name = "tmp", EmptyDir = new EmptyDirVolumeSource() }));
    }

    [Fact]
    public void Join_makes_one_multi_document_stream()
    {
        Assert.Equal("---\na: 1\n---\nb: 2\n", ManifestYaml.Join(["a: 1\n", "b: 2"]));
    }
}
