// The diagnostics agent's command line. One verb per run; the collected file goes to stdout, everything a person
// reads goes to stderr, and the exit code says which kind of failure it was (AgentExit).
using DevEnv.Diagnostics.Agent;

return await AgentCommand.RunAsync(args, Console.OpenStandardOutput(), Console.Error, CancellationToken.None);
