using System.CommandLine;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion run</c> command.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("emotion run: not built yet");
            return 2;
        });
        return command;
    }
}
