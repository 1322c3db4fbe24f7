namespace Emotion.Access;

/// <summary>Who a user is to the product (DESIGN, "Who uses it").</summary>
public enum Role
{
    /// <summary>Runs the product; may span tenants.</summary>
    Admin,
    /// <summary>Reviews conversations' emotion curves.</summary>
    QaAnalyst,
    /// <summary>Picks agents' focus areas.</summary>
    Coach,
    /// <summary>A client company: experience indices of its own contacts.</summary>
    Client,
    /// <summary>Follows live calls and their agents.</summary>
    Supervisor,
}

/// <summary>The reports a caller may ask for.</summary>
public enum ReadKind
{
    /// <summary><c>emotion report agent</c>: per-agent conversion, gaps, focus areas, example conversations.</summary>
    AgentReport,
    /// <summary><c>emotion report client</c>: experience indices, process drivers, memorable moments, QA quadrants.</summary>
    ClientReport,
    /// <summary><c>emotion report conversation ID</c>: one conversation's turns, curve and analysis.</summary>
    Conversation,
    /// <summary><c>emotion report surveys</c>: the index calibrated against NPS/CSAT.</summary>
    Surveys,
    /// <summary>The console's live view: conversations in progress and their alerts.</summary>
    Live,
}

/// <summary>Role names as typed on the command line and stored, and what each role may read.</summary>
public static class Roles
{
    private static readonly (Role Role, string Name)[] s_names =
        [(Role.Admin, "admin"), (Role.QaAnalyst, "qa_analyst"), (Role.Coach, "coach"), (Role.Client, "client"), (Role.Supervisor, "supervisor")];

    /// <summary>admin, qa_analyst, coach, client, supervisor.</summary>
    public static IReadOnlyList<string> Names { get; } = s_names.Select(n => n.Name).ToArray();

    public static string Name(Role role) => s_names.First(n => n.Role == role).Name;

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var (r, n) in s_names)
        {
            if (string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = r;
                return true;
            }
        }
        role = default;
        return false;
    }

    /// <summary>
    /// What each role reads: QA analysts everything of their tenant; coaches agents and conversations; supervisors agents
    /// and conversations, and supervisors the live view; clients their experience indices and survey calibration, not
    /// single conversations or agents.
    /// </summary>
    public static bool MayRead(Role role, ReadKind kind) => role switch
    {
        Role.Admin or Role.QaAnalyst => true,
        Role.Coach => kind is ReadKind.AgentReport or ReadKind.Conversation,
        Role.Supervisor => kind is ReadKind.AgentReport or ReadKind.Conversation or ReadKind.Live,
        Role.Client => kind is ReadKind.ClientReport or ReadKind.Surveys,
        _ => false,
    };
}
