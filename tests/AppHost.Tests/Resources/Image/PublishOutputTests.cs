using DevEnv.Hosting.Resources.Image;

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

    [Fact]
    public void The_headline_is_the_first_error_relative_to_the_sources_without_the_project_suffix_and_counts_the_rest()
    {
        var output = new PublishOutput();
        Assert.Null(output.Headline("/src"));

        output.Read("/src/SampleApi/Program.cs(3,40): error CS1002: ; expected [/src/SampleApi/SampleApi.csproj]");
        Assert.Equal("SampleApi/Program.cs(3,40): error CS1002: ; expected", output.Headline("/src/"));

        output.Read("/src/SampleApi/Program.cs(4,1): error CS0103: The name 'x' does not exist in the current context [/src/SampleApi/SampleApi.csproj]");
        Assert.Equal("SampleApi/Program.cs(3,40): error CS1002: ; expected (and 1 more error)", output.Headline("/src"));
        output.Read("error NETSDK1144: Optimizing assemblies for size failed.");
        Assert.EndsWith("(and 2 more errors)", output.Headline("/elsewhere"), StringComparison.Ordinal);
        Assert.StartsWith("/src/SampleApi/Program.cs(3,40)", output.Headline("/elsewhere"), StringComparison.Ordinal);
    }
}
