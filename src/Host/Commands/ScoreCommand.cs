using System.CommandLine;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion score</c> command.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var command = new Command("score", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("emotion score: not built yet");
            return 2;
        });
        return command;
    }
}
