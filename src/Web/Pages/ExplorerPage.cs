using System.Text;
using static Emotion.Web.Html;

namespace Emotion.Web.Pages;

/// <summary>The conversation explorer (QA analysts): filters and the matching conversations, newest first.</summary>
internal static class ExplorerPage
{
    public static readonly string[] Drivers = ["agent", "process", "product", "prior_experience", "none"];

    public static string Render(Ui ui, ExplorerFilter f, bool showTenant, FilterChoices choices, IReadOnlyList<ConversationListItem> items,
        long total, int pageSize, double queryMs)
    {
        var sb = new StringBuilder(32768);
        sb.Append(Inv, $"<div class=\"page-head\"><h1>{E(ui["explorer.title"])}</h1></div>");
        sb.Append("<form class=\"filters card\" method=\"get\" action=\"/conversations\" data-testid=\"filters\">");
        if (showTenant) sb.Append(Field(ui["tenant"], Select("tenant", ui["all"], f.Tenant, choices.Tenants.Select(t => (t, t)))));
        sb.Append(Field(ui["campaign"], Select("campaign", ui["all"], f.Campaign, choices.Campaigns.Select(c => (c, c)))));
        sb.Append(Field(ui["queue"], Select("queue", ui["all"], f.Queue, choices.Queues.Select(q => (q, q)))));
        sb.Append(Field(ui["agent"], Input("agent", f.Agent, extra: "list=\"agents\" autocomplete=\"off\"")));
        sb.Append("<datalist id=\"agents\">");
        foreach (var a in choices.Agents) sb.Append(Inv, $"<option value=\"{E(a)}\">");
        sb.Append("</datalist>");
        sb.Append(Field(ui["from"], Input("from", f.From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "date")));
        sb.Append(Field(ui["to"], Input("to", f.To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "date")));
        sb.Append(Field(ui["driver"], Select("driver", ui["any"], f.Driver, Drivers.Select(d => (d, ui.Term(d))))));
        sb.Append(Field(ui["topic"], Select("topic", ui["any"], f.Topic, choices.Topics.Select(t => (t, ui.Term(t))))));
        sb.Append(Field(ui["conversion"], Select("conversion", ui["any"], f.Conversion,
            [("converted", ui["conversion.converted"]), ("not_converted", ui["conversion.not"]), ("started_negative", ui["conversion.negative"])])));
        sb.Append(Field(ui["index.min"], Input("eimin", ui.Num(f.IndexMin, "0"), "number", extra: "min=\"0\" max=\"100\" step=\"1\" class=\"narrow\"").Replace("value=\"–\"", "value=\"\"", StringComparison.Ordinal)));
        sb.Append(Field(ui["index.max"], Input("eimax", ui.Num(f.IndexMax, "0"), "number", extra: "min=\"0\" max=\"100\" step=\"1\" class=\"narrow\"").Replace("value=\"–\"", "value=\"\"", StringComparison.Ordinal)));
        sb.Append(Inv, $"<label class=\"check\"><input type=\"checkbox\" name=\"alerts\" value=\"1\"{(f.AlertsOnly ? " checked" : "")}> {E(ui["alerts.only"])}</label>");
        sb.Append(Field(ui["text"], Input("q", f.Text, "search", ui["text.placeholder"], "class=\"wide\"")));
        sb.Append(Inv, $"<div class=\"actions\"><button type=\"submit\" class=\"primary\" data-testid=\"search\">{E(ui["search"])}</button><a class=\"button\" href=\"/conversations\">{E(ui["clear"])}</a></div>");
        sb.Append("</form>");

        // A text search counts up to the cap (ConsoleQueries.SearchAsync): more shows as "10,000+".
        var capped = total > ConsoleQueries.CountCap;
        sb.Append(Inv, $"<p class=\"result-count\" data-testid=\"result-count\"><strong{(capped ? $" title=\"{E(ui["explorer.capped"])}\"" : "")}>{(capped ? E(ui.Int(ConsoleQueries.CountCap)) + "+" : E(ui.Int(total)))}</strong> {E(ui["explorer.found"])} <span class=\"muted\">· {E(ui["explorer.took"])} {E(ui.Num(queryMs, "0"))} ms</span></p>");
        if (items.Count == 0)
        {
            sb.Append(Inv, $"<div class=\"card empty\">{E(ui["explorer.none"])}</div>");
            return sb.ToString();
        }
        sb.Append("<div class=\"card flush\"><table class=\"t list\" data-testid=\"results\"><thead><tr>")
          .Append(Inv, $"<th>{E(ui["conv.title"])}</th>{(showTenant ? $"<th>{E(ui["tenant"])}</th>" : "")}<th>{E(ui["started"])}</th><th>{E(ui["agent"])}</th><th>{E(ui["campaign"])} · {E(ui["queue"])}</th>")
          .Append(Inv, $"<th class=\"r\">{E(ui["index.short"])}</th><th>{E(ui["start.end"])}</th><th>{E(ui["driver"])}</th><th>{E(ui["conversion"])}</th><th class=\"r\">{E(ui["alerts"])}</th></tr></thead><tbody>");
        foreach (var c in items)
        {
            var conv = c.NegativeToPositive ? $"<span class=\"tag good\">{E(ui["yes"])}</span>" : c.StartedNegative ? $"<span class=\"tag bad\">{E(ui["no"])}</span>" : "<span class=\"muted\">–</span>";
            sb.Append(Inv, $"<tr data-testid=\"result\" data-id=\"{E(c.ConversationId)}\"><td><a href=\"{E(ConversationUrl(c.Tenant, c.ConversationId))}\">{E(c.ConversationId)}</a></td>")
              .Append(showTenant ? $"<td>{E(c.Tenant)}</td>" : "")
              .Append(Inv, $"<td class=\"nowrap\">{E(ui.Time(c.StartedAt))}</td><td>{E(c.AgentId)}</td><td>{E(c.Campaign)}{(c.Queue.Length > 0 ? " · " + E(c.Queue) : "")}</td>")
              .Append(Inv, $"<td class=\"r\"><span class=\"ei {EiTone(c.ExperienceIndex)}\">{E(ui.Num(c.ExperienceIndex, "0"))}</span></td>")
              .Append(Inv, $"<td class=\"nowrap\">{Chip(ui, c.CustomerStartScore)} → {Chip(ui, c.CustomerEndScore)}</td>")
              .Append(Inv, $"<td>{E(ConversationPage.DriverName(ui, c.PrimaryDriver, c.ProcessTopic))}</td><td>{conv}</td>")
              .Append(Inv, $"<td class=\"r\">{(c.Alerts > 0 ? $"<span class=\"tag bad\">{c.Alerts.ToString(ui.Culture)}</span>" : "<span class=\"muted\">0</span>")}</td></tr>");
        }
        sb.Append("</tbody></table></div>");
        var pages = (int)Math.Ceiling(total / (double)pageSize);
        if (pages > 1)
        {
            sb.Append("<div class=\"pager\">");
            if (f.Page > 0) sb.Append(Inv, $"<a class=\"button\" href=\"{E(Link(f with { Page = f.Page - 1 }, showTenant))}\">{E(ui["page.prev"])}</a>");
            sb.Append(Inv, $"<span class=\"muted\">{(f.Page + 1).ToString(ui.Culture)} / {pages.ToString(ui.Culture)}</span>");
            if (f.Page + 1 < pages) sb.Append(Inv, $"<a class=\"button\" href=\"{E(Link(f with { Page = f.Page + 1 }, showTenant))}\">{E(ui["page.next"])}</a>");
            sb.Append("</div>");
        }
        return sb.ToString();
    }

    public static string EiTone(double ei) => ei >= 60 ? "pos" : ei < 40 ? "neg" : "neu";

    /// <summary>The explorer URL for a filter.</summary>
    public static string Link(ExplorerFilter f, bool withTenant)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return Url("/conversations",
            ("tenant", withTenant ? f.Tenant : null), ("campaign", f.Campaign), ("queue", f.Queue), ("agent", f.Agent),
            ("from", f.From?.ToString("yyyy-MM-dd", inv)), ("to", f.To?.ToString("yyyy-MM-dd", inv)), ("driver", f.Driver), ("topic", f.Topic),
            ("conversion", f.Conversion), ("eimin", f.IndexMin?.ToString(inv)), ("eimax", f.IndexMax?.ToString(inv)),
            ("alerts", f.AlertsOnly ? "1" : null), ("q", f.Text), ("page", f.Page > 0 ? f.Page.ToString(inv) : null));
    }
}
