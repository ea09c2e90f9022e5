using DevEnv.Hosting.Configuration;

namespace DevEnv.AppHost.Tests.Configuration;

/// <summary>DEVENV_REGISTRY and its companions: host[:port]/path only, one line naming what to write instead.</summary>
public sealed class RegistryTargetTests
{
    [Fact]
    public void Host_port_and_path_give_the_repository_and_image_names()
    {
        var target = RegistryTarget.Parse("Registry.Example.com:5443/team/devenv/");

        Assert.Equal("registry.example.com:5443", target.Host);
        Assert.Equal("team/devenv", target.Path);
        Assert.Equal("team/devenv/sampleapi", target.Repository("sampleapi"));
        Assert.Equal("registry.example.com:5443/team/devenv/sampleapi", target.ImageName("sampleapi"));
        Assert.Equal(new Uri("https://registry.example.com:5443/"), target.BaseAddress);
        Assert.False(target.AllowsPlainHttp);
    }

    [Theory]
    [InlineData("docker.io/team")]
    [InlineData("index.docker.io/team")]
    [InlineData("registry-1.docker.io/team")]
    public void Docker_Hub_by_any_name_is_reached_at_its_API_host_with_docker_logins_credential_key(string value)
    {
        var target = RegistryTarget.Parse(value);

        Assert.True(target.IsDockerHub);
        Assert.Equal(new Uri("https://registry-1.docker.io/"), target.BaseAddress);
        Assert.Equal("https://index.docker.io/v1/", target.CredentialKey);
        // The pods name the image as the user did; the nodes resolve Docker Hub's names themselves.
        Assert.Equal($"{value.Split('/')[0]}/team/sampleapi", target.ImageName("sampleapi"));
        Assert.False(RegistryTarget.Parse("ghcr.io/team").IsDockerHub);
        Assert.Equal("ghcr.io", RegistryTarget.Parse("ghcr.io/team").CredentialKey);
    }

    [Theory]
    [InlineData("https://ghcr.io/team", "has a scheme")]
    [InlineData("http://localhost:5000/x", "has a scheme")]
    [InlineData("ghcr.io", "has no path")]
    [InlineData("ghcr.io/", "has no path")]
    [InlineData("ghcr.io/Team", "lower-case path")]
    [InlineData("ghcr.io/team/app:1.0", "no tag")]
    public void A_scheme_a_missing_path_or_a_tag_is_one_line_naming_the_setting(string value, string why)
    {
        var ex = Assert.Throws<ArgumentException>(() => RegistryTarget.FromSettings(k => k == "DEVENV_REGISTRY" ? value : null));

        Assert.StartsWith($"DEVENV_REGISTRY='{value}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Plain_http_is_allowed_only_to_loopback_or_when_DEVENV_REGISTRY_INSECURE_says_so()
    {
        Assert.True(RegistryTarget.Parse("localhost:5001/x").AllowsPlainHttp);
        Assert.True(RegistryTarget.Parse("127.0.0.1:5001/x").AllowsPlainHttp);
        Assert.False(RegistryTarget.Parse("registry.internal:5000/x").AllowsPlainHttp);
        Assert.False(RegistryTarget.Parse("127.0.0.2:5000/x").AllowsPlainHttp);
        var insecure = RegistryTarget.FromSettings(k => k switch { "DEVENV_REGISTRY" => "registry.internal:5000/x", "DEVENV_REGISTRY_INSECURE" => "1", _ => null });
        Assert.True(insecure!.AllowsPlainHttp);
        Assert.Null(RegistryTarget.FromSettings(_ => null));
        Assert.Throws<ArgumentException>(() => RegistryTarget.FromSettings(k => k switch { "DEVENV_REGISTRY" => "r.io/x", "DEVENV_REGISTRY_INSECURE" => "yes", _ => null }));
    }

    [Fact]
    public void A_CA_file_that_does_not_exist_is_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => RegistryTarget.FromSettings(k => k switch { "DEVENV_REGISTRY" => "r.io/x", "DEVENV_REGISTRY_CA_FILE" => "/nonexistent/ca.pem", _ => null }));

        Assert.Contains("DEVENV_REGISTRY_CA_FILE='/nonexistent/ca.pem' does not exist", ex.Message, StringComparison.Ordinal);

        var key = Path.GetTempFileName();
        try
        {
            File.WriteAllText(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
            var notACertificate = Assert.Throws<ArgumentException>(() => RegistryTarget.FromSettings(k => k switch { "DEVENV_REGISTRY" => "r.io/x", "DEVENV_REGISTRY_CA_FILE" => key, _ => null }));
            Assert.Contains("holds no PEM certificate", notACertificate.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(key);
        }
    }
}
