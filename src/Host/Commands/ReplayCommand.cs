using System.CommandLine;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion replay</c> command.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var command = new Command("replay", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("emotion replay: not built yet");
            return 2;
        });
        return command;
    }
}
