using System.CommandLine;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion migrate</c> command.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("emotion migrate: not built yet");
            return 2;
        });
        return command;
    }
}
