using System.CommandLine;
using Emotion.Host.Commands;
using Spectre.Console;

// Redirected output (logs, CI, demo script) has no terminal width: Spectre would wrap tables at 80 columns.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;

var root = new RootCommand("Emotion: real-time conversation emotion analytics.");
root.Subcommands.Add(BrokerCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(TrainAnswersCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(UsersCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
// SIGTERM/Ctrl-C cancel the command's token; 'run' then flushes and commits, which can take longer than the 2 s default
// (up to Pipeline:ShutdownGraceS, 30 s, when ClickHouse is down at that moment).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(90) });
