using DevEnv.SampleApi;
using DevEnv.ServiceDefaults;
using DevEnv.ServiceDefaults.Probes;

// `SampleApi probe live|ready|startup` and `SampleApi prestop` run here, with the app's own configuration sources,
// and never start the web host.
if (ServiceCommand.TryRun(args) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults();
builder.AddDownstream();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SampleApiJsonContext.Default));
builder.Services.AddProblemDetails();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSampleEndpoints();
return await app.RunServiceAsync();
