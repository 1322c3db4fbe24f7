using System.Text;
using static Emotion.Web.Html;

namespace Emotion.Web.Pages;

/// <summary>The live view (supervisors): conversations in progress with their current customer valence, and alerts as they arrive.</summary>
internal static class LivePage
{
    public static string Render(Ui ui, string feedState, long nowMs, IReadOnlyList<LiveConversation> calls, IReadOnlyList<LiveAlert> alerts, bool showTenant)
    {
        var sb = new StringBuilder(16384);
        sb.Append(Inv, $"<div class=\"page-head\"><h1>{E(ui["live.title"])}</h1>")
          .Append(Inv, $"<span class=\"feed\" id=\"feed\" data-testid=\"feed\" data-feed=\"{E(feedState)}\" data-connecting=\"{E(ui["live.connecting"])}\" data-connected=\"{E(ui["live.connected"])}\" data-offline=\"{E(ui["live.offline"])}\">{E(feedState == "off" ? ui["live.offline"] : ui["live.connecting"])}</span></div>");
        sb.Append("<div class=\"grid-live\">");
        sb.Append(Inv, $"<section class=\"card flush-table\" id=\"calls\" data-refresh=\"/live/calls\">{Calls(ui, nowMs, calls, showTenant)}</section>");
        var a = new StringBuilder($"<ul class=\"alerts\" id=\"alerts\" data-testid=\"alerts\" data-since=\"{nowMs.ToString(System.Globalization.CultureInfo.InvariantCulture)}\" data-open=\"{E(ui["live.open"])}\" data-turn=\"{E(ui["turn"])}\" data-none=\"{E(ui["live.alerts.none"])}\">");
        if (alerts.Count == 0) a.Append(Inv, $"<li class=\"muted none\">{E(ui["live.alerts.none"])}</li>");
        foreach (var al in alerts) a.Append(AlertItem(ui, al.Tenant, al.ConversationId, al.Turn, ui.Term(al.Reason.Length > 0 ? al.Rule : al.Rule), al.Valence, al.AlertedAtMs));
        a.Append("</ul>");
        sb.Append(Card(ui["live.alerts"], a.ToString(), "alerts-card"));
        sb.Append("</div><script src=\"/assets/live.js\"></script>");
        return sb.ToString();
    }

    /// <summary>The table of calls in progress (also served alone, for the page's refresh).</summary>
    public static string Calls(Ui ui, long nowMs, IReadOnlyList<LiveConversation> calls, bool showTenant)
    {
        var sb = new StringBuilder($"<h2>{E(ui["live.title"])} <span class=\"count\">{calls.Count.ToString(ui.Culture)}</span></h2>");
        if (calls.Count == 0) return sb.Append(Inv, $"<p class=\"muted pad\" data-testid=\"calls-none\">{E(ui["live.none"])}</p>").ToString();
        sb.Append("<table class=\"t list\" data-testid=\"calls\"><thead><tr>")
          .Append(Inv, $"<th>{E(ui["conv.title"])}</th>{(showTenant ? $"<th>{E(ui["tenant"])}</th>" : "")}<th class=\"r\">{E(ui["turns"])}</th><th>{E(ui["live.current"])}</th><th></th><th class=\"r\">{E(ui["live.last"])}</th></tr></thead><tbody>");
        foreach (var c in calls)
        {
            var ago = Math.Max(0, (nowMs - (long)c.LastMs) / 1000);
            sb.Append(Inv, $"<tr data-testid=\"call\" data-id=\"{E(c.ConversationId)}\"><td><a href=\"{E(ConversationUrl(c.Tenant, c.ConversationId))}\">{E(c.ConversationId)}</a></td>")
              .Append(showTenant ? $"<td>{E(c.Tenant)}</td>" : "")
              .Append(Inv, $"<td class=\"r\">{c.Turns.ToString(ui.Culture)}</td><td>{Chip(ui, c.CustomerValences.Count > 0 ? c.CustomerValence : null)}</td>")
              .Append(Inv, $"<td>{Svg.Spark([.. c.CustomerValences.TakeLast(20).Select(v => (double?)v)], -1, 1)}</td>")
              .Append(Inv, $"<td class=\"r muted\">{ago.ToString(ui.Culture)} {E(ui["live.seconds.ago"])}</td></tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>One alert in the list; live.js builds the same markup for alerts that arrive later.</summary>
    public static string AlertItem(Ui ui, string tenant, string id, uint turn, string rule, double valence, ulong alertedAtMs) =>
        $"<li class=\"alert-item\" data-testid=\"alert\" data-id=\"{E(id)}\"><span class=\"time\">{E(ui.Clock(DateTimeOffset.FromUnixTimeMilliseconds((long)alertedAtMs)))}</span>" +
        $"<a href=\"{E(ConversationUrl(tenant, id))}\">{E(id)}</a> <span class=\"muted\">{E(ui["turn"])} {turn.ToString(ui.Culture)}</span> " +
        $"<span class=\"tag bad\">{E(rule)}</span> {Chip(ui, valence)}</li>";
}
