using System.CommandLine;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion analyze</c> command.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var command = new Command("analyze", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("emotion analyze: not built yet");
            return 2;
        });
        return command;
    }
}
