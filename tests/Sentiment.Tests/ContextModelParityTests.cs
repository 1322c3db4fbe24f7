using System.Text.Json;

namespace Emotion.Sentiment.Tests;

/// <summary>
/// The context-aware model (models/emotion-v2) against the trainer's fixtures in its parity.jsonl: lone sentences (unknown
/// speaker, zero state) and invented conversations whose turns are scored in order, each with the state the previous
/// turn returned. Same tokens and ids, probabilities and states within 1e-4. Fails (does not skip) when the model is missing.
/// </summary>
public sealed class ContextModelParityTests
{
    private sealed record Case(string? Conversation, int Turn, int Speaker, string Text, string[] Tokens, long[][] InputIds, long[]? VocabIds,
        float[] Valence, float[] Emotion, float[] State);

    private static List<Case> LoadCases()
    {
        var path = TestPaths.RequireFile(TestPaths.ContextModelDir, "parity.jsonl");
        var cases = new List<Case>();
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            var e = JsonDocument.Parse(line).RootElement;
            cases.Add(new Case(
                e.GetProperty("conversation").ValueKind == JsonValueKind.String ? e.GetProperty("conversation").GetString() : null,
                e.GetProperty("turn").ValueKind == JsonValueKind.Number ? e.GetProperty("turn").GetInt32() : 0,
                e.GetProperty("speaker").GetInt32(),
                e.GetProperty("text").GetString()!,
                e.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray(),
                e.GetProperty("input_ids").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray(),
                e.TryGetProperty("vocab_ids", out var v) ? v.EnumerateArray().Select(x => x.GetInt64()).ToArray() : null,
                e.GetProperty("valence_probs").EnumerateArray().Select(x => x.GetSingle()).ToArray(),
                e.GetProperty("emotion_probs").EnumerateArray().Select(x => x.GetSingle()).ToArray(),
                e.GetProperty("state_out").EnumerateArray().Select(x => x.GetSingle()).ToArray()));
        }
        Assert.NotEmpty(cases);
        Assert.Contains(cases, c => c.Conversation is null);
        Assert.Contains(cases, c => c.Conversation is not null && c.Turn > 0);
        return cases;
    }

    private static OnnxSentimentModel LoadModel(SentimentOptions? options = null)
    {
        TestPaths.RequireFile(TestPaths.ContextModelDir, "model.onnx");
        return Assert.IsType<OnnxSentimentModel>(SentimentModelLoader.Load(TestPaths.ContextModelDir, options));
    }

    [Fact]
    public void The_model_reads_context_with_the_state_size_labels_json_names()
    {
        using var model = LoadModel();
        using var labels = JsonDocument.Parse(File.ReadAllText(TestPaths.RequireFile(TestPaths.ContextModelDir, "labels.json")));
        Assert.Equal(labels.RootElement.GetProperty("context").GetProperty("state_size").GetInt32(), model.StateSize);
        Assert.True(model.StateSize > 0);
        Assert.Equal(labels.RootElement.GetProperty("version").GetString(), model.Version);
        Assert.Equal(7, model.EmotionLabels.Count);
    }

    [Fact]
    public void Tokenizer_gives_the_trainers_tokens_and_ids()
    {
        using var model = LoadModel();
        var subwords = model.Tokenizer.Options.MaxSubwords;
        var width = model.Tokenizer.Width;
        var ids = new long[model.Tokenizer.IdsPerText];
        foreach (var c in LoadCases())
        {
            var context = JsonSerializer.Serialize(c.Text);
            Assert.True(model.Tokenizer.Tokenize(c.Text).SequenceEqual(c.Tokens), context);
            var count = model.Tokenizer.Encode(c.Text, ids);
            Assert.Equal(c.InputIds.Length, count);
            for (var t = 0; t < count; t++)
            {
                Assert.Equal(c.InputIds[t].Concat(Enumerable.Repeat(0L, subwords - c.InputIds[t].Length)), ids.AsSpan(t * width, subwords).ToArray());
            }
            if (width > subwords)
            {
                Assert.NotNull(c.VocabIds);
                Assert.Equal(c.VocabIds, Enumerable.Range(0, count).Select(t => ids[t * width + subwords]).ToArray());
            }
        }
    }

    [Fact]
    public void Turns_scored_in_order_reproduce_the_trainers_probabilities_and_states_within_1e_4()
    {
        using var model = LoadModel();
        var offsets = new[] { TurnSpeaker.Unknown, TurnSpeaker.Customer, TurnSpeaker.Agent }.ToDictionary(s => s, s => Offsets(s));
        float[]? state = null;
        string? conversation = null;
        foreach (var c in LoadCases())
        {
            if (c.Conversation != conversation || c.Conversation is null) state = null;
            conversation = c.Conversation;
            var r = model.PredictInContext([new ContextInput(c.Text, null, (TurnSpeaker)c.Speaker, state)])[0];
            var context = $"{c.Conversation ?? "lone"}#{c.Turn} {JsonSerializer.Serialize(c.Text)}";
            var p = r.Prediction;
            EmotionModelParityTests.AssertClose(c.Valence, [p.Negative, p.Neutral, p.Positive], 1e-4f, context);
            EmotionModelParityTests.AssertClose(c.Emotion, p.EmotionProbs, 1e-4f, context);
            EmotionModelParityTests.AssertClose(c.State, r.State, 1e-4f, context + " state");
            Assert.Equal(ExpectedLabel(c.Valence, offsets[(TurnSpeaker)c.Speaker]), p.Label);
            state = r.State;
        }
    }

    /// <summary>A labels.json's per-speaker decision offsets (models/train/decision.py) for log p(negative), log p(neutral),
    /// log p(positive): zeros for an unknown speaker or without "decision".</summary>
    private static double[] Offsets(TurnSpeaker speaker, string? modelDir = null)
    {
        using var labels = JsonDocument.Parse(File.ReadAllText(TestPaths.RequireFile(modelDir ?? TestPaths.ContextModelDir, "labels.json")));
        var offsets = new double[3];
        var name = speaker switch { TurnSpeaker.Customer => "customer", TurnSpeaker.Agent => "agent", _ => null };
        if (name is not null && labels.RootElement.TryGetProperty("decision", out var d) && d.TryGetProperty(name, out var o))
        {
            offsets[0] = o.GetProperty("negative").GetDouble();
            offsets[2] = o.GetProperty("positive").GetDouble();
        }
        return offsets;
    }

    /// <summary>Argmax of log p + offset, ties to the earlier class, as -1, 0, 1.</summary>
    private static int ExpectedLabel(float[] valence, double[] offsets)
    {
        var scores = valence.Select((v, i) => Math.Log(v) + offsets[i]).ToArray();
        return Array.IndexOf(scores, scores.Max()) - 1;
    }

    private static float[] Probabilities(SentimentPrediction p) => [p.Negative, p.Neutral, p.Positive];

    /// <summary>The shipped model's folder with the given JSON as labels.json's "decision" (the other files
    /// linked, not copied); deleted on dispose.</summary>
    private sealed class ModelWithDecision : IDisposable
    {
        public ModelWithDecision(string decision)
        {
            Dir = Directory.CreateTempSubdirectory("emotion-decision-").FullName;
            foreach (var f in Directory.GetFiles(TestPaths.ContextModelDir))
            {
                if (Path.GetFileName(f) != "labels.json") File.CreateSymbolicLink(Path.Combine(Dir, Path.GetFileName(f)), f);
            }
            var labels = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.ContextModelDir, "labels.json")))!.AsObject();
            labels["decision"] = System.Text.Json.Nodes.JsonNode.Parse(decision);
            File.WriteAllText(Path.Combine(Dir, "labels.json"), labels.ToJsonString());
        }

        public string Dir { get; }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    [Fact]
    public void Decision_offsets_in_labels_json_move_a_turns_label_by_speaker_and_leave_probabilities_and_lone_sentences_alone()
    {
        using var folder = new ModelWithDecision("""{"customer": {"negative": 0.05, "positive": -0.25}, "agent": {"negative": 0.8, "positive": 0.2}}""");
        using var plain = LoadModel();
        using var offset = Assert.IsType<OnnxSentimentModel>(SentimentModelLoader.Load(folder.Dir));
        var offsets = new[] { TurnSpeaker.Customer, TurnSpeaker.Agent }.ToDictionary(s => s, s => Offsets(s, folder.Dir));
        var none = Offsets(TurnSpeaker.Unknown, folder.Dir);
        var moved = new Dictionary<TurnSpeaker, int> { [TurnSpeaker.Customer] = 0, [TurnSpeaker.Agent] = 0 };
        foreach (var c in LoadCases())
        {
            foreach (var speaker in new[] { TurnSpeaker.Customer, TurnSpeaker.Agent })
            {
                var a = plain.PredictInContext([new ContextInput(c.Text, null, speaker, null)])[0].Prediction;
                var b = offset.PredictInContext([new ContextInput(c.Text, null, speaker, null)])[0].Prediction;
                Assert.Equal([a.Negative, a.Neutral, a.Positive, a.Valence], [b.Negative, b.Neutral, b.Positive, b.Valence]);
                Assert.Equal(ExpectedLabel(Probabilities(b), offsets[speaker]), b.Label);
                if (a.Label != b.Label) moved[speaker]++;
            }
            // A lone sentence has no speaker: the plain argmax.
            var lone = offset.Predict([new SentimentInput(c.Text)])[0];
            Assert.Equal(ExpectedLabel(Probabilities(lone), none), lone.Label);
        }
        Assert.True(moved[TurnSpeaker.Agent] > 0, "no parity text's agent label moved: the offsets were not applied");
    }

    [Fact]
    public void A_malformed_decision_offset_is_refused_with_the_file_and_the_field()
    {
        using var folder = new ModelWithDecision("""{"agent": {"negative": "high", "positive": 0.2}}""");
        var e = Assert.Throws<InvalidDataException>(() => SentimentModelLoader.Load(folder.Dir));
        Assert.Contains("\"decision\".\"agent\".\"negative\"", e.Message);
        Assert.Contains("labels.json", e.Message);
    }

    [Fact]
    public void Predict_reads_a_lone_sentence_with_zero_state_and_unknown_speaker()
    {
        using var model = LoadModel(new SentimentOptions { MaxBatchSize = 16 });
        var lone = LoadCases().Where(c => c.Conversation is null).ToList();
        var batched = model.Predict(lone.Select(c => new SentimentInput(c.Text)).ToArray());
        for (var i = 0; i < lone.Count; i++)
        {
            var p = batched[i];
            EmotionModelParityTests.AssertClose(lone[i].Valence, [p.Negative, p.Neutral, p.Positive], 1e-4f, JsonSerializer.Serialize(lone[i].Text));
            EmotionModelParityTests.AssertClose(lone[i].Emotion, p.EmotionProbs, 1e-4f, JsonSerializer.Serialize(lone[i].Text));
        }
    }

    [Fact]
    public void A_batch_of_many_conversations_turns_equals_scoring_them_one_by_one()
    {
        // Wave by wave: the k-th turn of every conversation in one batch, each with its own state; texts of different
        // lengths share padded tensors, and the batch is split in length groups: no row may change another.
        using var model = LoadModel(new SentimentOptions { MaxBatchSize = 16 });
        var conversations = LoadCases().Where(c => c.Conversation is not null).GroupBy(c => c.Conversation).Select(g => g.ToList()).ToList();
        var lone = LoadCases().Where(c => c.Conversation is null).ToList();
        var states = new float[]?[conversations.Count];
        for (var turn = 0; turn < conversations.Max(c => c.Count); turn++)
        {
            var live = Enumerable.Range(0, conversations.Count).Where(i => turn < conversations[i].Count).ToList();
            // lone sentences as batch neighbours, with zero state
            var inputs = live.Select(i => new ContextInput(conversations[i][turn].Text, null, (TurnSpeaker)conversations[i][turn].Speaker, states[i]))
                .Concat(lone.Select(c => new ContextInput(c.Text, null, TurnSpeaker.Unknown, null))).ToArray();
            var results = model.PredictInContext(inputs);
            for (var k = 0; k < live.Count; k++)
            {
                var c = conversations[live[k]][turn];
                var p = results[k].Prediction;
                EmotionModelParityTests.AssertClose(c.Valence, [p.Negative, p.Neutral, p.Positive], 1e-4f, $"{c.Conversation}#{turn}");
                EmotionModelParityTests.AssertClose(c.State, results[k].State, 1e-4f, $"{c.Conversation}#{turn} state");
                states[live[k]] = results[k].State;
            }
        }
    }

    [Fact]
    public void ScoreConversation_carries_the_state_from_turn_to_turn()
    {
        using var model = LoadModel();
        foreach (var conversation in LoadCases().Where(c => c.Conversation is not null).GroupBy(c => c.Conversation))
        {
            var turns = conversation.ToList();
            var (predictions, state) = ContextScoring.ScoreConversation(model, turns.Select(c => (c.Text, (string?)null, (TurnSpeaker)c.Speaker)).ToArray());
            for (var i = 0; i < turns.Count; i++)
            {
                EmotionModelParityTests.AssertClose(turns[i].Valence, [predictions[i].Negative, predictions[i].Neutral, predictions[i].Positive], 1e-4f,
                    $"{turns[i].Conversation}#{i}");
            }
            EmotionModelParityTests.AssertClose(turns[^1].State, state!, 1e-4f, $"{conversation.Key} final state");
        }
    }

    [Fact]
    public void A_state_of_the_wrong_length_is_refused()
    {
        using var model = LoadModel();
        Assert.Throws<ArgumentException>(() => model.PredictInContext([new ContextInput("hola", "es", TurnSpeaker.Customer, new float[model.StateSize + 1])]));
    }

    [Fact]
    public void The_context_free_model_has_no_state()
    {
        using var v1 = Assert.IsType<OnnxSentimentModel>(SentimentModelLoader.Load(TestPaths.EmotionModelDir));
        Assert.Equal(0, v1.StateSize);
        var r = v1.PredictInContext([new ContextInput("me cobraron dos veces", "es", TurnSpeaker.Customer, null)])[0];
        Assert.Empty(r.State);
        Assert.Equal(v1.Predict([new SentimentInput("me cobraron dos veces", "es")])[0].Valence, r.Prediction.Valence, 1e-6f);
    }
}
