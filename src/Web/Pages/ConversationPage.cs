using System.Text;
using Emotion.Store;
using static Emotion.Web.Html;

namespace Emotion.Web.Pages;

/// <summary>One conversation: the emotion curve, the transcript with each turn's valence, emotion and phase, the drivers with their evidence turns, and the figures.</summary>
internal static class ConversationPage
{
    /// <summary>The least share of the negative emotion for which a driver's evidence turns are highlighted.</summary>
    private const double EvidenceShare = 0.05;

    /// <summary>A finalized conversation.</summary>
    public static string Render(Ui ui, StoredConversation s)
    {
        var c = s.Conversation;
        var evidence = new Dictionary<uint, List<string>>();
        // Evidence is highlighted for the drivers that carry a real part of the negative emotion, not for a 1 % remainder.
        foreach (var d in s.Drivers.Where(d => d.Share >= EvidenceShare))
        {
            foreach (var t in d.EvidenceTurns)
            {
                if (!evidence.TryGetValue(t, out var list)) evidence[t] = list = [];
                list.Add(DriverName(ui, d.Driver, d.Topic));
            }
        }
        var moments = s.MemorableMoments.Select(m => m.Turn).ToHashSet();
        var alerts = s.Alerts.GroupBy(a => a.Turn).Select(g => (g.Key, g.First().Rule)).ToList();
        var sb = new StringBuilder(32768);
        Header(sb, ui, c.ConversationId, c.Tenant, [
            (ui["agent"], c.AgentId), (ui["team"], c.TeamId), (ui["campaign"], c.Campaign), (ui["queue"], c.Queue),
            (ui["started"], ui.Time(c.StartedAt)), (ui["duration"], Duration(c.DurationS)), (ui["turns"], c.Turns.ToString(ui.Culture)),
        ]);

        sb.Append("<div class=\"kpis\" data-testid=\"figures\">");
        sb.Append(Kpi(ui["index"], ui.Num(c.ExperienceIndex, "0"), testId: "kpi-index"));
        var conversion = c.NegativeToPositive ? ui["conv.converted"] : c.StartedNegative ? ui["conv.not.converted"] : ui["conv.not.negative"];
        sb.Append(Kpi(ui["conversion"], conversion, testId: "kpi-conversion"));
        sb.Append(Kpi(ui["start.end"], $"{ui.Signed(c.CustomerStartScore)} → {ui.Signed(c.CustomerEndScore)}", $"{ui["conv.shift"]}: {ui.Signed(c.Shift)}", c.Shift >= 0 ? "up" : "down"));
        sb.Append(Kpi(ui["driver"], ui.Term(c.PrimaryDriver) + (c.ProcessTopic is { Length: > 0 } and not "none" ? " · " + ui.Term(c.ProcessTopic) : "")));
        sb.Append(Kpi(ui["conv.focus"], ui.Term(c.AgentFocus)));
        sb.Append(Kpi(ui["alerts"], c.Alerts.ToString(ui.Culture)));
        sb.Append(Kpi(ui["conv.moments"], c.MemorableMoments.ToString(ui.Culture)));
        foreach (var e in s.Events)
        {
            if (e.Kind == "survey") sb.Append(Kpi(ui["conv.survey"], (e.Nps is { } n ? "NPS " + n.ToString(ui.Culture) : "") + (e.Csat is { } cs ? " CSAT " + ui.Num(cs, "0.#") : "")));
            if (e.Kind == "qa_score" && e.QaScore is { } qa) sb.Append(Kpi(ui["conv.qa"], ui.Num(qa, "0")));
        }
        sb.Append("</div>");

        CurveCard(sb, ui, s.Utterances, alerts, moments);

        sb.Append("<div class=\"grid2\">");
        var drivers = new StringBuilder();
        var withShare = s.Drivers.Where(d => d.Share >= 0.005).ToList();
        if (withShare.Count == 0) drivers.Append(Inv, $"<p class=\"muted\">{E(ui["conv.drivers.none"])}</p>");
        foreach (var d in withShare)
        {
            drivers.Append(Inv, $"<div class=\"driver\" data-testid=\"driver\" data-driver=\"{E(d.Driver)}\"><div class=\"driver-head\"><span class=\"driver-name d-{E(d.Driver)}\">{E(DriverName(ui, d.Driver, d.Topic))}</span>")
                .Append(Inv, $"<span class=\"driver-share\">{E(ui.Pct(d.Share))}</span></div><div class=\"bar-track\"><div class=\"bar d-{E(d.Driver)}\" style=\"width:{N(Math.Clamp(d.Share, 0, 1) * 100)}%\"></div></div>");
            if (d.EvidenceTurns.Count > 0 && d.Share >= EvidenceShare)
            {
                drivers.Append(Inv, $"<div class=\"driver-evidence\">{E(ui["conv.evidence"])}: ");
                foreach (var t in d.EvidenceTurns) drivers.Append(Inv, $"<a class=\"turn-link\" href=\"#turn-{t}\">#{t}</a> ");
                drivers.Append("</div>");
            }
            drivers.Append("</div>");
        }
        sb.Append(Card(ui["conv.drivers"], drivers.ToString(), testId: "drivers"));

        var phases = new StringBuilder("<table class=\"t compact\"><thead><tr>")
            .Append(Inv, $"<th>{E(ui["phase"])}</th><th>{E(ui["speaker"])}</th><th class=\"r\">{E(ui["mean"])}</th><th class=\"r\">{E(ui["min"])}</th><th class=\"r\">{E(ui["negative.share"])}</th><th>{E(ui["emotion"])}</th></tr></thead><tbody>");
        foreach (var p in s.Phases.Where(p => p.Turns > 0))
        {
            phases.Append(Inv, $"<tr><td>{E(ui.Term(p.Phase))}</td><td>{E(ui.Term(p.Speaker))}</td><td class=\"r\">{Chip(ui, p.MeanValence)}</td><td class=\"r\">{E(ui.Signed(p.MinValence))}</td><td class=\"r\">{E(ui.Pct(p.NegativeShare))}</td><td>{E(ui.Term(p.DominantEmotion))}</td></tr>");
        }
        phases.Append("</tbody></table>");
        var bad = s.Behaviours.Where(b => b.Count > 0).ToList();
        if (bad.Count > 0)
        {
            phases.Append(Inv, $"<h3>{E(ui["conv.behaviours"])}</h3><ul class=\"plain\">");
            foreach (var b in bad) phases.Append(Inv, $"<li>{E(ui.Term(b.Behaviour))}: {b.Count.ToString(ui.Culture)}{(b.EvidenceTurns.Count > 0 ? " · " + string.Join(" ", b.EvidenceTurns.Select(t => $"<a class=\"turn-link\" href=\"#turn-{t}\">#{t}</a>")) : "")}</li>");
            phases.Append("</ul>");
        }
        sb.Append(Card(ui["conv.phases"], phases.ToString()));
        sb.Append("</div>");

        Transcript(sb, ui, s.Utterances, evidence, moments, alerts.Select(a => a.Key).ToHashSet());
        return sb.ToString();
    }

    /// <summary>A conversation still in progress: the turns scored so far and its alerts.</summary>
    public static string RenderSoFar(Ui ui, IReadOnlyList<UtteranceRow> turns, IReadOnlyList<AlertRow> alertRows)
    {
        var first = turns[0];
        var alerts = alertRows.GroupBy(a => a.Turn).Select(g => (g.Key, g.First().Rule)).ToList();
        var sb = new StringBuilder(16384);
        Header(sb, ui, first.ConversationId, first.Tenant, [(ui["turns"], turns.Count.ToString(ui.Culture))]);
        sb.Append(Inv, $"<p class=\"badge live\" data-testid=\"in-progress\">● {E(ui["conv.in.progress"])}</p>");
        CurveCard(sb, ui, turns, alerts, []);
        Transcript(sb, ui, turns, [], [], alerts.Select(a => a.Key).ToHashSet());
        return sb.ToString();
    }

    private static void Header(StringBuilder sb, Ui ui, string id, string tenant, (string Label, string Value)[] facts)
    {
        sb.Append(Inv, $"<div class=\"page-head\"><div><div class=\"crumb\"><a href=\"/conversations\">{E(ui["nav.explorer"])}</a> / {E(tenant)}</div>")
          .Append(Inv, $"<h1 data-testid=\"conversation-id\">{E(ui["conv.title"])} {E(id)}</h1></div><dl class=\"facts\">");
        foreach (var (l, v) in facts) sb.Append(Inv, $"<div><dt>{E(l)}</dt><dd>{E(v)}</dd></div>");
        sb.Append("</dl></div>");
    }

    private static void CurveCard(StringBuilder sb, Ui ui, IReadOnlyList<UtteranceRow> utterances, List<(uint, string)> alerts, IReadOnlyCollection<uint> moments)
    {
        var turns = utterances.Select(u => new CurveTurn(u.Turn, u.Speaker, u.Valence, u.Phase, u.Text, u.Emotion)).ToList();
        var legend = $"<div class=\"legend\"><span class=\"key customer\"></span>{E(ui["conv.customer"])}<span class=\"key agent\"></span>{E(ui["conv.agent"])}" +
                     $"<span class=\"key alert\"></span>{E(ui["alerts"])}<span class=\"key moment\">★</span>{E(ui["conv.moments"])}</div>";
        sb.Append(Card(ui["conv.curve"], Svg.Curve(ui, turns, alerts, moments) + legend, "wide", ui["conv.curve.help"]));
    }

    private static void Transcript(StringBuilder sb, Ui ui, IReadOnlyList<UtteranceRow> utterances, Dictionary<uint, List<string>> evidence,
        IReadOnlyCollection<uint> moments, IReadOnlyCollection<uint> alerts)
    {
        var t = new StringBuilder("<table class=\"t transcript\" data-testid=\"transcript\"><thead><tr>")
            .Append(Inv, $"<th>#</th><th>{E(ui["phase"])}</th><th>{E(ui["speaker"])}</th><th></th><th class=\"r\">{E(ui["valence"])}</th><th>{E(ui["emotion"])}</th></tr></thead><tbody>");
        foreach (var u in utterances)
        {
            var isEvidence = evidence.TryGetValue(u.Turn, out var why);
            t.Append(Inv, $"<tr id=\"turn-{u.Turn}\" class=\"{(u.Speaker == "agent" ? "agent" : "customer")}{(isEvidence ? " evidence" : "")}\"{(isEvidence ? " data-testid=\"evidence-turn\"" : "")}>")
             .Append(Inv, $"<td class=\"muted\">{u.Turn}</td><td><span class=\"phase p-{E(u.Phase)}\">{E(ui.Term(u.Phase))}</span></td><td>{E(ui.Term(u.Speaker))}</td><td class=\"text\">");
            if (alerts.Contains(u.Turn)) t.Append(Inv, $"<span class=\"flag alert\" title=\"{E(ui["alerts"])}\">▼</span> ");
            if (moments.Contains(u.Turn)) t.Append(Inv, $"<span class=\"flag moment\" title=\"{E(ui["conv.moments"])}\">★</span> ");
            t.Append(E(u.Text));
            if (isEvidence) t.Append(Inv, $"<div class=\"why\">{E(ui["conv.evidence"])}: {E(string.Join(", ", why!.Distinct(StringComparer.Ordinal)))}</div>");
            t.Append(Inv, $"</td><td class=\"r\">{Chip(ui, u.Valence)}</td><td>{E(ui.Term(u.Emotion))}</td></tr>");
        }
        t.Append("</tbody></table>");
        sb.Append(Card(ui["conv.transcript"], t.ToString(), "wide"));
    }

    internal static string DriverName(Ui ui, string driver, string topic) =>
        ui.Term(driver) + (topic is { Length: > 0 } and not "none" ? " · " + ui.Term(topic) : "");

    internal static string Duration(double seconds)
    {
        var s = (int)Math.Round(seconds);
        return $"{(s / 60).ToString(System.Globalization.CultureInfo.InvariantCulture)}:{(s % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
