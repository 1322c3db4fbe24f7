using System.CommandLine;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion bench</c> command.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("emotion bench: not built yet");
            return 2;
        });
        return command;
    }
}
