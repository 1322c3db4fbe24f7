using System.ComponentModel.DataAnnotations;

namespace Emotion.Web;

/// <summary>Settings of the web console (section <c>Console</c>; environment <c>Console__Name</c>).</summary>
public sealed class WebConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>The users file shared with <c>emotion users</c> and <c>emotion report</c>.</summary>
    [Required]
    public string UsersFile { get; set; } = "";

    /// <summary>Kafka bootstrap servers for the live alerts; empty: the live view shows alerts from ClickHouse only.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>The live alerts topic (<c>emotion.alerts</c> with the default prefix).</summary>
    [Required]
    public string AlertsTopic { get; set; } = "emotion.alerts";

    /// <summary>A conversation whose last segment is older than this is no longer shown as in progress.</summary>
    [Range(1, 24 * 60)]
    public int LiveWindowMinutes { get; set; } = 30;

    /// <summary>Conversations per page of the explorer.</summary>
    [Range(10, 500)]
    public int PageSize { get; set; } = 50;

    /// <summary>Where the cookie encryption keys are kept (empty: ASP.NET Core's default folder).</summary>
    public string? KeysDirectory { get; set; }
}
