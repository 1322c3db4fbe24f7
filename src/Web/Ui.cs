using System.Globalization;

namespace Emotion.Web;

/// <summary>
/// The console's words and number formats in the user's language: Spanish (the default) or English. Every label a page
/// shows comes from here, so a page renders the same in both languages.
/// </summary>
public sealed class Ui
{
    public const string Spanish = "es";
    public const string English = "en";

    private Ui(string lang)
    {
        Lang = lang;
        Culture = CultureInfo.GetCultureInfo(lang == English ? "en-US" : "es-ES");
    }

    public static Ui Es { get; } = new(Spanish);
    public static Ui En { get; } = new(English);

    /// <summary>The UI for a language code; anything but <c>en</c> is Spanish.</summary>
    public static Ui For(string? lang) => string.Equals(lang, English, StringComparison.OrdinalIgnoreCase) ? En : Es;

    /// <summary><c>es</c> or <c>en</c>.</summary>
    public string Lang { get; }

    /// <summary>Formats numbers and dates for the reader.</summary>
    public CultureInfo Culture { get; }

    /// <summary>The text for a key; the key itself when none is known (so a missing word shows, never breaks a page).</summary>
    public string this[string key] => s_text.TryGetValue(key, out var t) ? (Lang == English ? t.En : t.Es) : key;

    public string Num(double? v, string format = "0.00") => v is { } x && double.IsFinite(x) ? x.ToString(format, Culture) : "–";

    public string Int(long v) => v.ToString("#,0", Culture);

    public string Pct(double? v) => v is { } x && double.IsFinite(x) ? (x * 100).ToString("0", Culture) + " %" : "–";

    public string Signed(double? v, string format = "0.00") => v is { } x && double.IsFinite(x) ? (x >= 0 ? "+" : "") + x.ToString(format, Culture) : "–";

    public string Date(DateOnly d) => d.ToString(Lang == English ? "MMM d, yyyy" : "d MMM yyyy", Culture);

    public string Week(DateOnly d) => d.ToString(Lang == English ? "MMM d" : "d MMM", Culture);

    public string Time(DateTime utc) => utc.ToString(Lang == English ? "MMM d, HH:mm" : "d MMM, HH:mm", Culture) + " UTC";

    public string Clock(DateTimeOffset utc) => utc.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A term of the analytics (phase, driver, behaviour, topic, emotion) in the reader's language.</summary>
    public string Term(string? term) => string.IsNullOrEmpty(term) ? "–" : s_text.TryGetValue("term." + term, out var t) ? (Lang == English ? t.En : t.Es) : term.Replace('_', ' ');

    /// <summary>Words of a page. Terms of the analytics are under <c>term.</c>.</summary>
    private static readonly Dictionary<string, (string Es, string En)> s_text = new(StringComparer.Ordinal)
    {
        ["app.tagline"] = ("Analítica emocional de conversaciones", "Conversation emotion analytics"),
        ["nav.explorer"] = ("Conversaciones", "Conversations"),
        ["nav.coaching"] = ("Coaching", "Coaching"),
        ["nav.client"] = ("Experiencia del cliente", "Client experience"),
        ["nav.live"] = ("En vivo", "Live"),
        ["nav.logout"] = ("Salir", "Sign out"),
        ["login.title"] = ("Iniciar sesión", "Sign in"),
        ["login.user"] = ("Usuario", "User"),
        ["login.password"] = ("Contraseña", "Password"),
        ["login.submit"] = ("Entrar", "Sign in"),
        ["login.failed"] = ("Usuario o contraseña incorrectos.", "Wrong user or password."),
        ["login.hint"] = ("Los usuarios se crean con «emotion users add» y su contraseña con «emotion users password».", "Users are created with 'emotion users add' and given a password with 'emotion users password'."),
        ["denied.title"] = ("Sin acceso", "No access"),
        ["denied.text"] = ("Su rol no permite ver esta página.", "Your role does not allow this page."),
        ["notfound.title"] = ("No encontrada", "Not found"),
        ["notfound.text"] = ("La conversación no está en la base de datos.", "The conversation is not in the database."),
        ["all"] = ("Todos", "All"),
        ["any"] = ("Cualquiera", "Any"),
        ["tenant"] = ("Cliente", "Client"),
        ["campaign"] = ("Campaña", "Campaign"),
        ["queue"] = ("Cola", "Queue"),
        ["agent"] = ("Agente", "Agent"),
        ["team"] = ("Equipo", "Team"),
        ["from"] = ("Desde", "From"),
        ["to"] = ("Hasta", "To"),
        ["driver"] = ("Causa principal", "Primary driver"),
        ["topic"] = ("Tema", "Topic"),
        ["conversion"] = ("Conversión", "Conversion"),
        ["conversion.converted"] = ("Convertidas (de negativo a positivo)", "Converted (negative to positive)"),
        ["conversion.not"] = ("Empezaron negativas y no se convirtieron", "Started negative, not converted"),
        ["conversion.negative"] = ("Empezaron negativas", "Started negative"),
        ["index"] = ("Índice de experiencia", "Experience index"),
        ["index.short"] = ("Índice", "Index"),
        ["index.min"] = ("Índice mín.", "Index min"),
        ["index.max"] = ("Índice máx.", "Index max"),
        ["alerts"] = ("Alertas", "Alerts"),
        ["alerts.only"] = ("Solo con alertas", "Only with alerts"),
        ["text"] = ("Texto", "Text"),
        ["text.placeholder"] = ("palabras dichas en la llamada", "words said in the call"),
        ["search"] = ("Buscar", "Search"),
        ["clear"] = ("Limpiar", "Clear"),
        ["explorer.title"] = ("Explorador de conversaciones", "Conversation explorer"),
        ["explorer.found"] = ("conversaciones", "conversations"),
        ["explorer.capped"] = ("Una búsqueda de palabras cuenta hasta 10.000 conversaciones", "A word search counts up to 10,000 conversations"),
        ["explorer.none"] = ("Ninguna conversación coincide con los filtros.", "No conversation matches the filters."),
        ["explorer.took"] = ("consulta", "query"),
        ["started"] = ("Inicio", "Started"),
        ["duration"] = ("Duración", "Duration"),
        ["turns"] = ("Turnos", "Turns"),
        ["start.end"] = ("Cliente: inicio → fin", "Customer: start → end"),
        ["page.prev"] = ("← Anteriores", "← Previous"),
        ["page.next"] = ("Siguientes →", "Next →"),
        ["conv.title"] = ("Conversación", "Conversation"),
        ["conv.curve"] = ("Curva emocional", "Emotion curve"),
        ["conv.curve.help"] = ("Valencia por turno de −1 (negativa) a +1 (positiva), sobre las fases de la llamada.", "Valence per turn from −1 (negative) to +1 (positive), over the phases of the call."),
        ["conv.customer"] = ("Cliente", "Customer"),
        ["conv.agent"] = ("Agente", "Agent"),
        ["conv.transcript"] = ("Transcripción", "Transcript"),
        ["conv.drivers"] = ("Causas de la emoción negativa", "Drivers of negative emotion"),
        ["conv.drivers.none"] = ("Sin emoción negativa que atribuir.", "No negative emotion to attribute."),
        ["conv.evidence"] = ("Turnos de evidencia", "Evidence turns"),
        ["conv.figures"] = ("Resultado", "Outcome"),
        ["conv.converted"] = ("Convertida", "Converted"),
        ["conv.not.converted"] = ("No convertida", "Not converted"),
        ["after.negative"] = ("tras un inicio negativo", "after a negative start"),
        ["conv.not.negative"] = ("No empezó negativa", "Did not start negative"),
        ["conv.shift"] = ("Cambio (fin − inicio)", "Shift (end − start)"),
        ["conv.focus"] = ("Foco del agente", "Agent focus"),
        ["conv.moments"] = ("Momentos memorables", "Memorable moments"),
        ["conv.phases"] = ("Emocionalidad por fase", "Emotionality by phase"),
        ["conv.behaviours"] = ("Conductas del agente", "Agent behaviours"),
        ["conv.in.progress"] = ("En curso: conversación hasta ahora", "In progress: the conversation so far"),
        ["conv.survey"] = ("Encuesta", "Survey"),
        ["conv.qa"] = ("Nota de calidad (QA)", "QA score"),
        ["turn"] = ("Turno", "Turn"),
        ["speaker"] = ("Habla", "Speaker"),
        ["valence"] = ("Valencia", "Valence"),
        ["emotion"] = ("Emoción", "Emotion"),
        ["phase"] = ("Fase", "Phase"),
        ["share"] = ("Peso", "Share"),
        ["mean"] = ("Media", "Mean"),
        ["min"] = ("Mínimo", "Minimum"),
        ["negative.share"] = ("Turnos negativos", "Negative turns"),
        ["coach.title"] = ("Coaching de agentes", "Agent coaching"),
        ["coach.period"] = ("Periodo", "Period"),
        ["coach.week"] = ("Semana", "Week"),
        ["coach.month"] = ("Mes", "Month"),
        ["coach.contacts"] = ("Contactos", "Contacts"),
        ["coach.conversion"] = ("Tasa de conversión", "Conversion rate"),
        ["coach.agent.share"] = ("Negatividad atribuida al agente", "Agent-attributed negative share"),
        ["coach.team.avg"] = ("Equipo", "Team"),
        ["coach.top.focus"] = ("Foco principal", "Top focus"),
        ["coach.example"] = ("ejemplo", "example"),
        ["coach.examples"] = ("Ejemplos", "Examples"),
        ["coach.focus"] = ("Áreas de foco", "Focus areas"),
        ["coach.focus.none"] = ("Sin áreas de foco en este periodo: el agente está a la altura del equipo o mejor.", "No focus areas in this period: the agent is at or above the team."),
        ["coach.phase.gaps"] = ("Diferencia por fase (valencia del cliente, agente − equipo)", "Phase gaps (customer valence, agent − team)"),
        ["coach.behaviours"] = ("Conductas (problemas por contacto)", "Behaviours (problems per contact)"),
        ["coach.trend"] = ("Evolución semanal", "Weekly trend"),
        ["coach.gap"] = ("Diferencia", "Gap"),
        ["coach.none"] = ("No hay conversaciones de agentes en este periodo.", "No agent conversations in this period."),
        ["coach.open"] = ("Ver agente", "Open agent"),
        ["coach.kind.phase"] = ("fase", "phase"),
        ["coach.kind.behaviour"] = ("conducta", "behaviour"),
        ["client.title"] = ("Experiencia del cliente", "Client experience"),
        ["client.latest"] = ("Último periodo", "Latest period"),
        ["client.trend"] = ("Tendencia", "Trend"),
        ["client.by.queue"] = ("Índice por campaña y cola", "Index by campaign and queue"),
        ["client.index.trend"] = ("Índice de experiencia por campaña", "Experience index by campaign"),
        ["client.processes"] = ("Procesos a revisar", "Processes to review"),
        ["client.processes.help"] = ("Temas de proceso ordenados por su peso en la emoción negativa de los clientes.", "Process topics ranked by their weight in customers' negative emotion."),
        ["client.moments"] = ("Experiencias memorables", "Memorable experiences"),
        ["client.moments.count"] = ("Momentos memorables por periodo", "Memorable moments per period"),
        ["client.quadrants"] = ("Calidad (QA) frente a experiencia", "Quality (QA) against experience"),
        ["client.quadrants.none"] = ("Aún no hay conversaciones con nota de QA.", "No conversation has a QA score yet."),
        ["client.surveys"] = ("NPS / CSAT frente al índice", "NPS / CSAT against the index"),
        ["client.surveys.none"] = ("Aún no hay suficientes encuestas (hacen falta 3).", "Not enough surveys yet (3 are needed)."),
        ["client.correlation"] = ("Correlación (Pearson)", "Correlation (Pearson)"),
        ["client.none"] = ("No hay conversaciones en este periodo.", "No conversations in this period."),
        ["client.contacts"] = ("Contactos", "Contacts"),
        ["client.conversion"] = ("Conversión", "Conversion"),
        ["client.surveys.n"] = ("encuestas", "surveys"),
        ["q.high_qa_high_experience"] = ("QA alta · experiencia alta", "High QA · high experience"),
        ["q.high_qa_low_experience"] = ("QA alta · experiencia baja", "High QA · low experience"),
        ["q.low_qa_high_experience"] = ("QA baja · experiencia alta", "Low QA · high experience"),
        ["q.low_qa_low_experience"] = ("QA baja · experiencia baja", "Low QA · low experience"),
        ["live.title"] = ("Llamadas en curso", "Calls in progress"),
        ["live.alerts"] = ("Alertas en vivo", "Live alerts"),
        ["live.none"] = ("No hay conversaciones en curso.", "No conversations in progress."),
        ["live.alerts.none"] = ("Sin alertas recientes.", "No recent alerts."),
        ["live.current"] = ("Valencia actual del cliente", "Current customer valence"),
        ["live.last"] = ("Último turno", "Last turn"),
        ["live.connecting"] = ("conectando…", "connecting…"),
        ["live.connected"] = ("conectado", "connected"),
        ["live.offline"] = ("sin conexión al bus de alertas", "no connection to the alert bus"),
        ["live.open"] = ("Ver conversación", "Open conversation"),
        ["live.seconds.ago"] = ("s atrás", "s ago"),
        ["yes"] = ("Sí", "Yes"),
        ["no"] = ("No", "No"),
        ["none"] = ("ninguno", "none"),
        ["term.opening"] = ("apertura", "opening"),
        ["term.identification"] = ("identificación", "identification"),
        ["term.exploration"] = ("exploración", "exploration"),
        ["term.resolution"] = ("resolución", "resolution"),
        ["term.closing"] = ("cierre", "closing"),
        ["term.agent"] = ("agente", "agent"),
        ["term.customer"] = ("cliente", "customer"),
        ["term.process"] = ("proceso", "process"),
        ["term.product"] = ("producto", "product"),
        ["term.prior_experience"] = ("experiencia previa", "prior experience"),
        ["term.none"] = ("ninguno", "none"),
        ["term.interruptions"] = ("interrupciones", "interruptions"),
        ["term.hold_time"] = ("esperas largas", "long holds"),
        ["term.long_silence"] = ("silencios largos", "long silences"),
        ["term.empathy"] = ("falta de empatía", "missing empathy"),
        ["term.ownership"] = ("falta de responsabilidad", "missing ownership"),
        ["term.clarity"] = ("respuestas poco claras", "unclear answers"),
        ["term.falling_trend"] = ("tendencia a la baja", "falling trend"),
        ["term.ewma_below"] = ("valencia sostenida negativa", "sustained negative valence"),
        ["term.severe_turn"] = ("turno muy negativo", "severely negative turn"),
        ["term.fees"] = ("comisiones", "fees"),
        ["term.billing"] = ("facturación", "billing"),
        ["term.billing_error"] = ("error de facturación", "billing error"),
        ["term.transfers"] = ("transferencias", "transfers"),
        ["term.wait_time"] = ("tiempo de espera", "wait time"),
        ["term.documentation"] = ("documentación", "documentation"),
        ["term.account_blocked"] = ("cuenta bloqueada", "blocked account"),
        ["term.confusion"] = ("confusión", "confusion"),
        ["term.payment_plan"] = ("plan de pagos", "payment plan"),
        ["term.outage"] = ("corte de servicio", "outage"),
        ["term.policy"] = ("política", "policy"),
        ["term.joy"] = ("alegría", "joy"),
        ["term.gratitude"] = ("gratitud", "gratitude"),
        ["term.anger"] = ("enojo", "anger"),
        ["term.frustration"] = ("frustración", "frustration"),
        ["term.sadness"] = ("tristeza", "sadness"),
        ["term.fear"] = ("miedo", "fear"),
        ["term.neutral"] = ("neutral", "neutral"),
        ["term.surprise"] = ("sorpresa", "surprise"),
        ["term.disgust"] = ("desagrado", "disgust"),
    };
}
