using DevEnv.AppHost.Resources.Image;

namespace DevEnv.AppHost.Tests.Resources.Image;

public sealed class PublishOutputTests
{
    private const string Layer = "sha256:a3137d77a5650a764426decbc0a630c3910cf1f27e06dd1d0da29479ed1212c5";
    private const string Base = "sha256:e9f447477802e02eb0c032d55900ffbe05ec90aa566354be10748cb925c80ebe";
    private const string Config = "sha256:5e2d8f5aafeb12e579a2452cdf62c995ab3b9a740fac09afcf115e40bf000000";

    [Fact]
    public void Reads_the_sdk_lines_for_image_start_uploaded_blobs_and_push()
    {
        var output = new PublishOutput();
        const string prefix = "/usr/share/dotnet/sdk/10.0.401/Containers/build/Microsoft.NET.Build.Containers.targets(255,5): message : [Microsoft.NET.Build.Containers.Registry] ";

        Assert.False(output.Read("  SampleApi -> /src/SampleApi/bin/Release/net10.0/linux-x64/publish/"));
        Assert.True(output.Read("  Building image 'sampleapi' with tags 't2' on top of base image 'localhost:1/runtime-deps:10.0'."));
        output.Read(prefix + $"Uploading layer '{Base}' to 'localhost:1'. [/src/SampleApi/SampleApi.csproj]");
        output.Read(prefix + $"Layer '{Base}' already exists. [/src/SampleApi/SampleApi.csproj]");
        output.Read(prefix + $"Finished uploading layer '{Layer}' to 'localhost:1'. [/src/SampleApi/SampleApi.csproj]");
        output.Read(prefix + $"Uploading config to registry at blob '{Config}', [/src/SampleApi/SampleApi.csproj]");
        output.Read("  Pushed image 'sampleapi:t2' to registry 'localhost:1'.");

        Assert.True(output.ImageStarted);
        Assert.True(output.Pushed);
        Assert.Equal(new[] { Layer, Config }.Order(), output.UploadedDigests.Order());
        Assert.DoesNotContain(Base, output.UploadedDigests);
        Assert.Empty(output.Errors);
    }

    [Fact]
    public void Collects_compiler_and_sdk_errors_once()
    {
        var output = new PublishOutput();
        const string cs = "/src/SampleApi/Program.cs(3,40): error CS1002: ; expected [/src/SampleApi/SampleApi.csproj]";

        output.Read(cs);
        output.Read(cs);
        output.Read("/x/Microsoft.NET.ILLink.targets(103,5): error NETSDK1144: Optimizing assemblies for size failed. [/src/SampleApi/SampleApi.csproj]");
        output.Read("  Program.cs: warning CS0168: unused");

        Assert.Equal(2, output.Errors.Count);
        Assert.Contains("error CS1002", output.Errors[0]);
    }
}
