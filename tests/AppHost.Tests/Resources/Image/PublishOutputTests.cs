using DevEnv.AppHost.Resources.Image;

namespace DevEnv.AppHost.Tests.Resources.Image;

public sealed class PublishOutputTests
{
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
