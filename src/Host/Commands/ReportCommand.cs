using System.CommandLine;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion report</c> command.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("emotion report: not built yet");
            return 2;
        });
        return command;
    }
}
