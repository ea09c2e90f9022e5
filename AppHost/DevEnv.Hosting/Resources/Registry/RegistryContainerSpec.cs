using System.Security.Cryptography;
using System.Text;
using DevEnv.Hosting.Configuration;
using Docker.DotNet.Models;

namespace DevEnv.Hosting.Resources.Registry;

/// <summary>
/// What the registry container should look like for given settings, and a hash of it stored as a label so a
/// later start can tell whether the existing container still matches (reuse) or not (recreate). Pure.
/// </summary>
public static class RegistryContainerSpec
{
    /// <summary>Label holding <see cref="SettingsHash"/>.</summary>
    public const string SettingsHashLabel = "dev.devenv.settings-hash";

    /// <summary>Label naming the kind of object, for status and clean-up.</summary>
    public const string RoleLabel = "dev.devenv.role";

    /// <summary>The port the registry listens on inside the container (config.yml's http.addr).</summary>
    public const int ContainerPort = 5000;

    // Both paths: registry:3 reads /etc/distribution/config.yml, 2.x reads /etc/docker/registry/config.yml.
    private static readonly string[] ConfigPaths = ["/etc/distribution/config.yml", "/etc/docker/registry/config.yml"];

    /// <summary>The registry config, written to the state folder (<see cref="RegistryConfig"/>); its path.</summary>
    public static string ConfigFile(EnvironmentSettings settings) => RegistryConfig.Write(settings);

    /// <summary>Hash of everything that, when changed, requires a new container.</summary>
    public static string SettingsHash(EnvironmentSettings settings, string imageId, string configText)
    {
        var text = string.Join('\n', "v1", imageId, settings.BindAddress, settings.RegistryPort, settings.RegistryVolumeName, settings.KindNetwork, configText);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>The create request: published on BindAddress:RegistryPort only, blobs in the named volume, config read-only, hardened.</summary>
    public static CreateContainerParameters Build(EnvironmentSettings settings, string settingsHash)
    {
        var port = $"{ContainerPort}/tcp";
        var configFile = ConfigFile(settings);
        return new CreateContainerParameters
        {
            Name = settings.RegistryContainerName,
            Image = settings.RegistryImage,
            Labels = new Dictionary<string, string>
            {
                [EnvironmentSettings.EnvironmentLabel] = settings.Name,
                [RoleLabel] = "registry",
                [SettingsHashLabel] = settingsHash,
            },
            ExposedPorts = new Dictionary<string, EmptyStruct> { [port] = default },
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IList<PortBinding>> { [port] = [new PortBinding { HostIP = settings.BindAddress, HostPort = settings.RegistryPort.ToString() }] },
                Binds = [$"{settings.RegistryVolumeName}:/var/lib/registry", .. ConfigPaths.Select(p => $"{configFile}:{p}:ro")],
                // The registry writes only to its volume; everything else stays read-only and without privileges.
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,nosuid,size=64m" },
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                NetworkMode = settings.KindNetwork,
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
            },
        };
    }
}
