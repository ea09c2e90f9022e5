using DevEnv.ServiceDefaults;
using DevEnv.ServiceDefaults.Probes;

// `TeamOrders probe live|ready|startup` and `TeamOrders prestop`: the app contract ServiceDefaults gives every service.
if (ServiceCommand.TryRun(args) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults();
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/orders", () => new[] { "order-1", "order-2" });
return await app.RunServiceAsync();
