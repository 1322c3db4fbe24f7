using System.CommandLine;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion broker</c> command.</summary>
internal static class BrokerCommand
{
    public static Command Create()
    {
        var command = new Command("broker", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("emotion broker: not built yet");
            return 2;
        });
        return command;
    }
}
