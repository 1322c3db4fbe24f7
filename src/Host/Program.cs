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
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
return await root.Parse(args).InvokeAsync();
