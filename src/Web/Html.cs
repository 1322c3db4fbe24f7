using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Emotion.Access;

namespace Emotion.Web;

/// <summary>HTML building: every value a page shows goes through <see cref="E"/>; the layout every page shares.</summary>
internal static class Html
{
    /// <summary>The invariant culture, for markup (numbers shown to a reader go through <see cref="Ui"/>).</summary>
    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The text, encoded for an HTML element or a quoted attribute.</summary>
    public static string E(string? text) => Encoder.Encode(text ?? "");

    /// <summary>A URL-encoded query value.</summary>
    public static string U(string? value) => Uri.EscapeDataString(value ?? "");

    /// <summary>A number for SVG/CSS (invariant culture).</summary>
    public static string N(double v, string format = "0.#") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A path with query parameters; empty values are left out.</summary>
    public static string Url(string path, params (string Key, string? Value)[] query)
    {
        var sb = new StringBuilder(path);
        var first = true;
        foreach (var (k, v) in query)
        {
            if (string.IsNullOrEmpty(v)) continue;
            sb.Append(first ? '?' : '&').Append(U(k)).Append('=').Append(U(v));
            first = false;
        }
        return sb.ToString();
    }

    /// <summary>The link to a conversation page.</summary>
    public static string ConversationUrl(string tenant, string id) => Url("/conversation/" + U(id), ("tenant", tenant));

    /// <summary>A CSS class for a valence: neg, neu or pos.</summary>
    public static string Tone(double v) => v <= -0.25 ? "neg" : v >= 0.25 ? "pos" : "neu";

    /// <summary>A small coloured chip with a valence.</summary>
    public static string Chip(Ui ui, double? v) =>
        v is { } x ? $"<span class=\"chip {Tone(x)}\">{E(ui.Signed(x))}</span>" : "<span class=\"chip\">–</span>";

    /// <summary>The page around <paramref name="body"/>: header, navigation for the caller's role, language switch.</summary>
    public static string Page(Ui ui, Caller? caller, string title, string active, string body, string path)
    {
        var sb = new StringBuilder(body.Length + 4096);
        sb.Append("<!doctype html><html lang=\"").Append(ui.Lang).Append("\"><head><meta charset=\"utf-8\">")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .Append("<title>").Append(E(title)).Append(" · Emotion</title>")
          .Append("<link rel=\"stylesheet\" href=\"/assets/console.css\"><link rel=\"icon\" href=\"/assets/favicon.svg\"></head><body>");
        sb.Append("<header class=\"top\"><a class=\"brand\" href=\"/\"><img src=\"/assets/favicon.svg\" alt=\"\" width=\"22\" height=\"22\">Emotion</a>");
        if (caller is not null)
        {
            sb.Append("<nav>");
            Nav(sb, ui, caller, ReadKind.Conversation, "/conversations", "nav.explorer", "explorer", active);
            Nav(sb, ui, caller, ReadKind.AgentReport, "/coaching", "nav.coaching", "coaching", active);
            Nav(sb, ui, caller, ReadKind.ClientReport, "/client", "nav.client", "client", active);
            Nav(sb, ui, caller, ReadKind.Live, "/live", "nav.live", "live", active);
            sb.Append("</nav>");
        }
        else
        {
            sb.Append("<span class=\"tagline\">").Append(E(ui["app.tagline"])).Append("</span>");
        }
        sb.Append("<div class=\"right\">");
        sb.Append("<span class=\"lang\">")
          .Append(LangLink("es", "ES", ui, path)).Append(LangLink("en", "EN", ui, path)).Append("</span>");
        if (caller is not null)
        {
            sb.Append("<span class=\"who\" data-testid=\"who\">").Append(E(caller.Name)).Append(" · ").Append(E(Roles.Name(caller.Role)))
              .Append(caller.Tenant is { } t ? " · " + E(t) : "").Append("</span>")
              .Append("<form method=\"post\" action=\"/logout\"><button class=\"link\" type=\"submit\">").Append(E(ui["nav.logout"])).Append("</button></form>");
        }
        sb.Append("</div></header><main>").Append(body).Append("</main></body></html>");
        return sb.ToString();
    }

    private static void Nav(StringBuilder sb, Ui ui, Caller caller, ReadKind kind, string href, string key, string name, string active)
    {
        if (!caller.MayRead(kind)) return;
        sb.Append("<a href=\"").Append(href).Append("\" data-nav=\"").Append(name).Append('"')
          .Append(name == active ? " class=\"on\"" : "").Append('>').Append(E(ui[key])).Append("</a>");
    }

    private static string LangLink(string lang, string label, Ui ui, string path) =>
        $"<a href=\"{E(Url("/lang/" + lang, ("back", path)))}\"{(ui.Lang == lang ? " class=\"on\"" : "")} data-lang=\"{lang}\">{label}</a>";

    /// <summary>A &lt;select&gt; with an "all" option and the given values (value, label).</summary>
    public static string Select(string name, string allLabel, string? current, IEnumerable<(string Value, string Label)> options)
    {
        var sb = new StringBuilder();
        sb.Append("<select name=\"").Append(name).Append("\" id=\"f-").Append(name).Append("\"><option value=\"\">").Append(E(allLabel)).Append("</option>");
        foreach (var (v, l) in options)
        {
            sb.Append("<option value=\"").Append(E(v)).Append('"').Append(string.Equals(v, current, StringComparison.Ordinal) ? " selected" : "")
              .Append('>').Append(E(l)).Append("</option>");
        }
        return sb.Append("</select>").ToString();
    }

    /// <summary>A labelled form field.</summary>
    public static string Field(string label, string control) => $"<label class=\"field\"><span>{E(label)}</span>{control}</label>";

    /// <summary>A text input.</summary>
    public static string Input(string name, string? value, string type = "text", string? placeholder = null, string? extra = null) =>
        $"<input type=\"{type}\" name=\"{name}\" id=\"f-{name}\" value=\"{E(value)}\"{(placeholder is null ? "" : $" placeholder=\"{E(placeholder)}\"")}{(extra is null ? "" : " " + extra)}>";

    /// <summary>A card with a title.</summary>
    public static string Card(string title, string content, string? cls = null, string? help = null, string? testId = null) =>
        $"<section class=\"card{(cls is null ? "" : " " + cls)}\"{(testId is null ? "" : $" data-testid=\"{testId}\"")}><h2>{E(title)}</h2>{(help is null ? "" : $"<p class=\"help\">{E(help)}</p>")}{content}</section>";

    /// <summary>A big number with a label and an optional delta.</summary>
    public static string Kpi(string label, string value, string? delta = null, string? deltaClass = null, string? testId = null) =>
        $"<div class=\"kpi\"{(testId is null ? "" : $" data-testid=\"{testId}\"")}><div class=\"kpi-label\">{E(label)}</div><div class=\"kpi-value\">{E(value)}</div>{(delta is null ? "" : $"<div class=\"kpi-delta {deltaClass}\">{E(delta)}</div>")}</div>";
}
