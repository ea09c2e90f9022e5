using System.Text;
using System.Text.Json;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.RemoteCluster;

namespace DevEnv.AppHost.Tests.Resources.RemoteCluster;

/// <summary>The pods' pull Secret names the registry as the nodes look it up: the host, or docker's own key for Docker Hub.</summary>
public sealed class PullSecretTests
{
    [Theory]
    [InlineData("registry.example.com:5443/team", "registry.example.com:5443")]
    [InlineData("docker.io/team", "https://index.docker.io/v1/")]
    public void The_auths_key_is_the_one_the_nodes_look_up(string registry, string key)
    {
        var settings = new EnvironmentSettings { Name = "demo", RemoteRegistry = RegistryTarget.Parse(registry) };

        var secret = RemoteTargetManifests.PullSecret(settings, new RegistryCredentials("u", "s3cret", "test"))!;

        using var config = JsonDocument.Parse(Encoding.UTF8.GetString(secret.Data[".dockerconfigjson"]));
        var auths = config.RootElement.GetProperty("auths");
        Assert.Equal([key], auths.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("u:s3cret")), auths.GetProperty(key).GetProperty("auth").GetString());
    }
}
