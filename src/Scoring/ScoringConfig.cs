using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Emotion.Scoring;

/// <summary>A scoring configuration that cannot be used; <see cref="Exception.Message"/> names every setting at fault.</summary>
public sealed class ScoringConfigException : Exception
{
    public IReadOnlyList<string> Errors { get; } = [];

    public ScoringConfigException() { }
    public ScoringConfigException(string message) : base(message) => Errors = [message];
    public ScoringConfigException(string message, Exception inner) : base(message, inner) => Errors = [message];
    public ScoringConfigException(string source, IReadOnlyList<string> errors)
        : base($"Scoring configuration {source} is not valid:{Environment.NewLine}  - " + string.Join(Environment.NewLine + "  - ", errors)) =>
        Errors = errors;
}

/// <summary>
/// Loads scoring configurations: the embedded defaults (<c>config/scoring.default.json</c>) with a client file merged over them.
/// Merge rules: objects merge property by property; scalars and plain lists replace; lists of objects with a
/// <c>name</c> (phases, process topics) merge by name, new names are appended and an item with
/// <c>"enabled": false</c> is removed; <c>"$replace": ["phases"]</c> in an object replaces the listed properties whole.
/// </summary>
public static class ScoringConfig
{
    private const string ResourceName = "scoring.default.json";

    /// <summary>Serializer settings for configuration files: snake_case, comments and trailing commas allowed, unknown settings rejected.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private static readonly Lazy<string> DefaultJsonText = new(() =>
    {
        using var stream = typeof(ScoringConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource '{ResourceName}' is missing from {typeof(ScoringConfig).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static readonly Lazy<ScoringOptions> DefaultOptions = new(() => FromJson(null, "(defaults)"));

    /// <summary>The defaults as JSON text (the content of <c>config/scoring.default.json</c>).</summary>
    public static string DefaultJson => DefaultJsonText.Value;

    /// <summary>The validated defaults.</summary>
    public static ScoringOptions Default => DefaultOptions.Value;

    /// <summary>Loads the defaults merged with <paramref name="clientFile"/> (null: the defaults alone) and validates the result.</summary>
    /// <exception cref="ScoringConfigException">The file cannot be read or parsed, or a setting is out of range.</exception>
    public static ScoringOptions Load(string? clientFile)
    {
        if (string.IsNullOrWhiteSpace(clientFile)) return Default;
        string text;
        try
        {
            text = File.ReadAllText(clientFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScoringConfigException($"Scoring configuration '{clientFile}' cannot be read: {ex.Message}", ex);
        }
        return FromJson(text, $"'{clientFile}'");
    }

    /// <summary>Merges <paramref name="clientJson"/> (null: none) over the defaults, binds and validates.</summary>
    public static ScoringOptions FromJson(string? clientJson, string source = "(client json)")
    {
        var docOptions = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var merged = JsonNode.Parse(DefaultJson, documentOptions: docOptions)!.AsObject();
        if (!string.IsNullOrWhiteSpace(clientJson))
        {
            JsonNode? client;
            try
            {
                client = JsonNode.Parse(clientJson, documentOptions: docOptions);
            }
            catch (JsonException ex)
            {
                throw new ScoringConfigException($"Scoring configuration {source} is not valid JSON: {ex.Message}", ex);
            }
            if (client is not JsonObject clientObj)
                throw new ScoringConfigException($"Scoring configuration {source} must be a JSON object");
            MergeObject(merged, clientObj);
        }

        ScoringOptions? options;
        try
        {
            options = merged.Deserialize<ScoringOptions>(JsonOptions);
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) ? "" : $" at '{ex.Path.TrimStart('$', '.')}'";
            throw new ScoringConfigException($"Scoring configuration {source}: wrong setting{path}: {ex.Message}", ex);
        }
        if (options is null) throw new ScoringConfigException($"Scoring configuration {source} is empty");
        var errors = Validate(options);
        if (errors.Count > 0) throw new ScoringConfigException(source, errors);
        return options;
    }

    /// <summary>
    /// Triage, moments of truth and anticipation settings (docs/analytics.md). A reason or claim-opening topic naming a
    /// process topic the client removed is skipped, not an error: removing a topic should not need two edits.
    /// </summary>
    private static void ValidateCases(ScoringOptions o, List<string> e, Action<string, double, double, double, bool, bool> range)
    {
        var t = o.Triage;
        range("triage.opening_turns", t.OpeningTurns, 0, 100, false, false);
        range("triage.negative_turns_for_complaint", t.NegativeTurnsForComplaint, 0, 100, false, false);
        foreach (var (cls, sl) in t.ServiceLevels)
        {
            if (cls is not (CaseClasses.Claim or CaseClasses.Complaint or CaseClasses.Request))
                e.Add($"'triage.service_levels' has unknown class '{cls}' (claim, complaint or request)");
            range($"triage.service_levels.{cls}.first_contact_resolution", sl.FirstContactResolution, 0, 1, false, false);
            range($"triage.service_levels.{cls}.response_hours", sl.ResponseHours, 0, 24 * 366, false, false);
        }

        var m = o.MomentsOfTruth;
        range("moments_of_truth.window_turns", m.WindowTurns, 1, 100, false, false);
        range("moments_of_truth.example_overlap", m.ExampleOverlap, 0, 1, true, false);
        var moments = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < m.Moments.Count; i++)
        {
            var x = m.Moments[i];
            if (string.IsNullOrWhiteSpace(x.Name)) e.Add($"'moments_of_truth.moments[{i}].name' is empty");
            else if (!moments.Add(x.Name)) e.Add($"'moments_of_truth.moments[{i}].name' repeats moment '{x.Name}'");
            if (x.Speaker is not ("agent" or "customer" or "any"))
                e.Add($"'moments_of_truth.moments[{i}].speaker' must be agent, customer or any, got '{x.Speaker}'");
            if (x.Marker is { Length: > 0 } marker && marker is not ("hold" or "silence"))
                e.Add($"'moments_of_truth.moments[{i}].marker' must be hold or silence, got '{marker}'");
            foreach (var name in x.WithCues)
            {
                if (CaseProfile.NamedCues(o, name) is null)
                    e.Add($"'moments_of_truth.moments[{i}].with_cues' names unknown cue list '{name}' (agent_cues.identity_request, agent_cues.empathy, agent_cues.blame, cues.resolution, cues.identity)");
            }
            foreach (var (lang, patterns) in x.Patterns)
            {
                foreach (var pattern in patterns)
                {
                    try { CaseProfile.CompilePattern(pattern); }
                    catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
                    {
                        e.Add($"'moments_of_truth.moments[{i}].patterns.{lang}' has an invalid regular expression '{pattern}': {ex.Message}");
                    }
                }
            }
            if (!x.Cues.AllPhrases().Any() && x.WithCues.Count == 0 && x.Examples.Count == 0 && string.IsNullOrEmpty(x.Marker)
                && !x.Patterns.AllPhrases().Any() && !x.AmountCues.AllPhrases().Any())
                e.Add($"'moments_of_truth.moments[{i}]' ('{x.Name}') needs cues, with_cues, examples, patterns, amount_cues or a marker");
        }

        var a = o.Anticipation;
        var events = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < a.Events.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(a.Events[i].Name)) e.Add($"'anticipation.events[{i}].name' is empty");
            else if (!events.Add(a.Events[i].Name)) e.Add($"'anticipation.events[{i}].name' repeats event '{a.Events[i].Name}'");
        }
        var reasons = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < a.Reasons.Count; i++)
        {
            var r = a.Reasons[i];
            if (string.IsNullOrWhiteSpace(r.Name)) e.Add($"'anticipation.reasons[{i}].name' is empty");
            else if (!reasons.Add(r.Name)) e.Add($"'anticipation.reasons[{i}].name' repeats reason '{r.Name}'");
            if (r.Topic is null && !r.Cues.AllPhrases().Any())
                e.Add($"'anticipation.reasons[{i}]' ('{r.Name}') needs a topic or cues");
            foreach (var ev in r.Events)
            {
                if (!events.Contains(ev)) e.Add($"'anticipation.reasons[{i}].events' names unknown event '{ev}' (add it to 'anticipation.events')");
            }
        }
    }

    private static void MergeObject(JsonObject target, JsonObject source)
    {
        var replace = new HashSet<string>(StringComparer.Ordinal);
        if (source["$replace"] is JsonArray rep)
        {
            foreach (var r in rep) if (r?.GetValueKind() == JsonValueKind.String) replace.Add(r.GetValue<string>());
        }
        foreach (var (key, value) in source.ToList())
        {
            if (key == "$replace") continue;
            var existing = target[key];
            if (!replace.Contains(key) && existing is JsonObject eo && value is JsonObject vo)
            {
                MergeObject(eo, vo);
            }
            else if (!replace.Contains(key) && existing is JsonArray ea && value is JsonArray va && IsNamedList(ea) && IsNamedList(va))
            {
                MergeNamedList(ea, va);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
            if (target[key] is JsonArray arr) RemoveDisabled(arr);
        }
    }

    private static bool IsNamedList(JsonArray a) => a.Count > 0 && a.All(n => n is JsonObject o && o["name"] is JsonValue);

    private static void MergeNamedList(JsonArray target, JsonArray source)
    {
        foreach (var item in source)
        {
            var srcObj = (JsonObject)item!;
            var name = srcObj["name"]!.ToString();
            var match = target.OfType<JsonObject>().FirstOrDefault(o => o["name"]?.ToString() == name);
            if (match is null) target.Add(srcObj.DeepClone());
            else MergeObject(match, srcObj);
        }
    }

    private static void RemoveDisabled(JsonArray arr)
    {
        for (var i = arr.Count - 1; i >= 0; i--)
        {
            if (arr[i] is not JsonObject o || !o.ContainsKey("enabled")) continue;
            var enabled = o["enabled"] is JsonValue v && v.GetValueKind() != JsonValueKind.False;
            if (enabled) o.Remove("enabled");
            else arr.RemoveAt(i);
        }
    }

    /// <summary>Every problem in <paramref name="o"/>, each naming its setting; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(ScoringOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var e = new List<string>();
        var t = o.Thresholds;
        void Range(string name, double value, double min, double max, bool minOpen = false, bool maxOpen = false)
        {
            var ok = !double.IsNaN(value) && (minOpen ? value > min : value >= min) && (maxOpen ? value < max : value <= max);
            if (!ok)
            {
                e.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{name}' must be in {(minOpen ? "(" : "[")}{min}, {max}{(maxOpen ? ")" : "]")}, got {value}"));
            }
        }
        Range("thresholds.negative_valence", t.NegativeValence, -1, 0, maxOpen: true);
        Range("thresholds.positive_valence", t.PositiveValence, 0, 1, minOpen: true);
        Range("thresholds.memorable_valence", t.MemorableValence, 0, 1, minOpen: true);
        Range("thresholds.hold_seconds", t.HoldSeconds, 0, 86400, minOpen: true);
        Range("thresholds.silence_gap_seconds", t.SilenceGapSeconds, 0, 86400, minOpen: true);
        Range("thresholds.overlap_tolerance_seconds", t.OverlapToleranceSeconds, 0, 60);
        Range("thresholds.substantive_turns", t.SubstantiveTurns, 1, 100);
        Range("thresholds.min_substantive_words", t.MinSubstantiveWords, 1, 100);
        Range("thresholds.identity_max_words", t.IdentityMaxWords, 0, 1000);
        Range("thresholds.min_driver_mass", t.MinDriverMass, 0, 100);

        if (o.Phases.Count == 0) e.Add("'phases' must list at least one phase");
        var phaseNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.Phases.Count; i++)
        {
            var name = o.Phases[i].Name;
            if (string.IsNullOrWhiteSpace(name)) e.Add($"'phases[{i}].name' is empty");
            else if (!phaseNames.Add(name)) e.Add($"'phases[{i}].name' repeats phase '{name}'");
        }
        if (o.Phases.Count > 0 && o.PhasePositionBounds.Count != o.Phases.Count - 1)
        {
            e.Add(string.Create(CultureInfo.InvariantCulture,
                $"'phase_position_bounds' must have {o.Phases.Count - 1} values (one fewer than the {o.Phases.Count} phases), got {o.PhasePositionBounds.Count}"));
        }
        for (var i = 0; i < o.PhasePositionBounds.Count; i++)
        {
            var b = o.PhasePositionBounds[i];
            var prev = i == 0 ? 0.0 : o.PhasePositionBounds[i - 1];
            if (!(b > prev && b < 1))
                e.Add(string.Create(CultureInfo.InvariantCulture, $"'phase_position_bounds[{i}]' must be increasing and inside (0, 1), got {b}"));
        }
        Range("phase_lookahead_turns", o.PhaseLookaheadTurns, 0, 100);
        for (var i = 0; i < o.ResolutionPhases.Count; i++)
        {
            if (!phaseNames.Contains(o.ResolutionPhases[i])) e.Add($"'resolution_phases[{i}]' names unknown phase '{o.ResolutionPhases[i]}'");
        }
        if (!phaseNames.Contains(o.AgentSubstancePhase)) e.Add($"'agent_substance_phase' names unknown phase '{o.AgentSubstancePhase}'");

        var topicNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.ProcessTopics.Count; i++)
        {
            var name = o.ProcessTopics[i].Name;
            if (string.IsNullOrWhiteSpace(name)) e.Add($"'process_topics[{i}].name' is empty");
            else if (name == "none") e.Add($"'process_topics[{i}].name' cannot be 'none' (it means no topic)");
            else if (!topicNames.Add(name)) e.Add($"'process_topics[{i}].name' repeats topic '{name}'");
        }

        var w = o.DriverWeights;
        foreach (var (name, value) in new[]
                 {
                     ("prior_experience_cue", w.PriorExperienceCue), ("before_agent_substance", w.BeforeAgentSubstance),
                     ("process_cue", w.ProcessCue), ("product_cue", w.ProductCue), ("topic_model", w.TopicModel),
                     ("context_factor", w.ContextFactor), ("interruptions", w.Interruptions), ("hold_time", w.HoldTime),
                     ("ownership", w.Ownership), ("clarity", w.Clarity), ("empathy", w.Empathy),
                     ("continuation", w.Continuation),
                 })
        {
            Range("driver_weights." + name, value, 0, 100);
        }
        if (w.UnexplainedDriver is not (Drivers.Agent or Drivers.Process or Drivers.Product or Drivers.PriorExperience))
            e.Add($"'driver_weights.unexplained_driver' must be agent, process, product or prior_experience, got '{w.UnexplainedDriver}'");

        var x = o.ExperienceIndex;
        Range("experience_index.end_valence", x.EndValence, 0, 100);
        Range("experience_index.shift", x.Shift, 0, 100);
        Range("experience_index.negative_load", x.NegativeLoad, 0, 100);
        Range("experience_index.memorable", x.Memorable, 0, 100);
        if (x.EndValence + x.Shift + x.NegativeLoad + x.Memorable <= 0) e.Add("'experience_index' weights must not all be 0");
        Range("experience_index.memorable_cap", x.MemorableCap, 1, 1000);

        var a = o.Alerts;
        Range("alerts.ewma_alpha", a.EwmaAlpha, 0, 1, minOpen: true);
        Range("alerts.ewma_threshold", a.EwmaThreshold, -1, 0, maxOpen: true);
        Range("alerts.min_customer_turns", a.MinCustomerTurns, 1, 1000);
        Range("alerts.slope_window", a.SlopeWindow, 2, 1000);
        Range("alerts.slope_threshold", a.SlopeThreshold, -2, 0, maxOpen: true);
        if (a.SevereValence is { } sv) Range("alerts.severe_valence", sv, -1, 0, maxOpen: true);
        if (!(a.RearmThreshold > a.EwmaThreshold && a.RearmThreshold <= 1))
        {
            e.Add(string.Create(CultureInfo.InvariantCulture,
                $"'alerts.rearm_threshold' must be above 'alerts.ewma_threshold' ({a.EwmaThreshold}) and at most 1, got {a.RearmThreshold}"));
        }

        Range("topic_model.min_probability", o.TopicModel.MinProbability, 0, 1);
        for (var i = 0; i < o.TopicModel.Examples.Count; i++)
        {
            var ex = o.TopicModel.Examples[i];
            if (string.IsNullOrWhiteSpace(ex.Text)) e.Add($"'topic_model.examples[{i}].text' is empty");
            if (!topicNames.Contains(ex.Topic)) e.Add($"'topic_model.examples[{i}].topic' names unknown topic '{ex.Topic}' (add it to 'process_topics')");
        }
        if (o.TopicModel.Examples.Count > 0 && o.TopicModel.Examples.Select(x => x.Topic).Distinct(StringComparer.Ordinal).Count() < 2)
            e.Add("'topic_model.examples' must cover at least 2 topics to train a classifier");
        ValidateCases(o, e, Range);
        return e;
    }
}
