// The team's front end: answers with SampleApi's answer, its greeting setting and whether it was given its key.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHttpClient("sampleapi", client =>
    client.BaseAddress = new Uri(builder.Configuration["services:sampleapi:http:0"] ?? "http://sampleapi:8080"));
var app = builder.Build();

app.MapGet("/", async (IHttpClientFactory clients, IConfiguration configuration) =>
{
    var answer = await clients.CreateClient("sampleapi").GetStringAsync("/");
    var greeting = configuration["GREETING"] ?? "(no greeting)";
    var keyed = string.IsNullOrEmpty(configuration["API_KEY"]) ? "no key" : "key present";
    return $"{greeting} from the front end ({keyed}); sampleapi says: {answer}";
});

app.Run();
