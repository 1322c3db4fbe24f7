using System.Buffers.Binary;
using Emotion.Ingest.Contracts;
using Emotion.Scoring;

namespace Emotion.Audio.Tests;

/// <summary>Measures of real speech (espeak-ng, sox) against answers known from how the audio was made.</summary>
public class SpeechMeasurementTests
{
    private const string Es = "me cobraron dos veces la cuota y nadie me soluciona nada";
    private const string En = "you charged me twice this month and nobody fixes anything";
    private static readonly AudioOptions Options = new();

    private static ConversationAcoustics MeasureOne(string channel, byte[] pcm, string? text = null, int chunkMs = 200)
    {
        var audio = Speech.Take(Speech.Chunks("c1", channel, pcm, Speech.Rate, 0, chunkMs));
        var speaker = channel == Speakers.Agent ? Speaker.Agent : Speaker.Customer;
        var turns = text is null ? [] : new[] { new TurnTiming(0, speaker, 0, (long)(Speech.Seconds(pcm) * 1000), text) };
        return AudioMeasurer.Measure(audio.Tracks, turns, Options);
    }

    private static AcousticWindow Whole(string channel, byte[] pcm, string text) => Assert.Single(MeasureOne(channel, pcm, text).Windows);

    [Theory]
    [InlineData("es", Es)]
    [InlineData("en", En)]
    public void Spoken_sentence_is_measured_as_speech_over_its_length(string voice, string text)
    {
        var pcm = Speech.Say(voice, text);
        var w = Whole(Speakers.Customer, pcm, text);
        var length = Speech.Seconds(pcm);
        // The clip is trimmed to its sound: nearly all of it is speech (pauses under 300 ms are bridged).
        Assert.InRange(w.VoicedS, length - 0.35, length + 0.02);
        Assert.Equal("transcript", w.RateSource);
        Assert.InRange(w.SpeakingRate!.Value, 3.0, 8.0);
        // espeak's default voices speak around 100-200 Hz; its pitch varies over a few semitones.
        Assert.InRange(w.PitchMedianHz!.Value, 70, 260);
        Assert.InRange(w.PitchRangeSt!.Value, 1, 14);
        Assert.InRange(w.LoudnessDbfs!.Value, -30, -6);
    }

    [Fact]
    public void Soft_speech_measures_twenty_dB_below_the_same_speech_loud()
    {
        var loud = Speech.Say("es", Es);
        var soft = Speech.Say("es", Es, soxEffects: "vol 0.1");
        var l = Whole(Speakers.Customer, loud, Es);
        var s = Whole(Speakers.Customer, soft, Es);
        Assert.InRange(l.LoudnessDbfs!.Value - s.LoudnessDbfs!.Value, 19.0, 21.0);
        // The speech is found in both.
        Assert.InRange(s.VoicedS, l.VoicedS - 0.2, l.VoicedS + 0.2);
    }

    [Fact]
    public void Fast_speech_has_a_higher_rate_than_slow_speech()
    {
        var slow = Speech.Say("en", En, wpm: 100);
        var fast = Speech.Say("en", En, wpm: 240);
        var s = Whole(Speakers.Customer, slow, En);
        var f = Whole(Speakers.Customer, fast, En);
        // espeak's rate setting is words per minute: 2.4 times; its pauses do not scale exactly.
        Assert.InRange(f.SpeakingRate!.Value / s.SpeakingRate!.Value, 1.8, 3.0);
        // Without the transcript, syllable nuclei in the energy still rank them, but undercount fast speech (measured:
        // 3.8 against 2.8 syllables/s, a ratio of 1.36 where the words say 2.4): merged syllables have no dip between them.
        var sa = MeasureOne(Speakers.Customer, slow).Windows.OrderByDescending(w => w.VoicedS).First();
        var fastWindows = MeasureOne(Speakers.Customer, fast).Windows;
        var fa = fastWindows.OrderByDescending(w => w.VoicedS).First();
        Assert.Equal("audio", sa.RateSource);
        Assert.True(fa.SpeakingRate > sa.SpeakingRate * 1.25, $"audio rate fast {fa.SpeakingRate} vs slow {sa.SpeakingRate}");
    }

    [Fact]
    public void Pitch_raised_four_semitones_measures_four_semitones_higher()
    {
        var normal = Speech.Say("es", Es);
        var raised = Speech.Say("es", Es, soxEffects: "pitch 400");
        var n = Whole(Speakers.Customer, normal, Es);
        var r = Whole(Speakers.Customer, raised, Es);
        var semitones = 12 * Math.Log2(r.PitchMedianHz!.Value / n.PitchMedianHz!.Value);
        Assert.InRange(semitones, 3.4, 4.6);
    }

    [Fact]
    public void Pitch_agrees_with_NWaves_YIN_on_real_speech()
    {
        var pcm = Speech.Say("en", En);
        var audio = Speech.Take(Speech.Chunks("c1", Speakers.Agent, pcm, Speech.Rate, 0, 1000));
        var track = audio.Tracks[Speakers.Agent];
        // Reference: NWaves' YIN over the same 8 kHz frames.
        var samples = Speech.Convert16k(pcm, "raw", "floating-point", AudioFrames.WorkingRate, 32);
        var floats = new float[samples.Length / 4];
        for (var i = 0; i < floats.Length; i++) floats[i] = BinaryPrimitives.ReadSingleLittleEndian(samples.AsSpan(i * 4));
        var ratios = new List<double>();
        for (var k = track.Origin; k < track.End; k++)
        {
            var mine = track.F0(k);
            var start = (int)(k * AudioFrames.FrameSamples);
            if (mine <= 0 || start + AudioFrames.PitchSpan > floats.Length) continue;
            var theirs = NWaves.Features.Pitch.FromYin(floats, AudioFrames.WorkingRate, start, start + AudioFrames.PitchSpan, 60, 400, 0.2f);
            if (theirs > 0) ratios.Add(mine / theirs);
        }
        Assert.True(ratios.Count > 40, $"{ratios.Count} voiced frames compared");
        ratios.Sort();
        var median = ratios[ratios.Count / 2];
        Assert.InRange(median, 0.97, 1.03);
        var agree = ratios.Count(r => r is > 0.95 and < 1.05) / (double)ratios.Count;
        Assert.True(agree > 0.8, $"{agree:P0} of frames within 5 % of NWaves");
    }

    [Fact]
    public void Two_channels_speaking_over_each_other_measure_the_overtalk_that_was_mixed_in()
    {
        var agent = Speech.Say("es", "le explico que la cuota se cobra el primer día de cada mes sin excepción");
        var customer = Speech.Say("es", "no no no eso no es lo que me dijeron la última vez");
        var la = Speech.Seconds(agent);
        const double overlap = 1.5;
        var customerStart = la - overlap;
        var agentChannel = Speech.Concat(agent, Speech.Silence(Speech.Seconds(customer) + 1));
        var customerChannel = Speech.Concat(Speech.Silence(customerStart), customer, Speech.Silence(1));
        var audio = Speech.Take(Speech.Chunks("c1", Speakers.Agent, agentChannel, Speech.Rate, 0, 200)
            .Concat(Speech.Chunks("c1", Speakers.Customer, customerChannel, Speech.Rate, 0, 200)));
        var m = AudioMeasurer.Measure(audio.Tracks, [], Options);
        var overtalk = m.Spans.Where(s => s.Kind == AcousticSpanKinds.Overtalk).ToList();
        Assert.InRange(overtalk.Sum(s => s.Seconds), overlap - 0.2, overlap + 0.2);
        var main = overtalk.OrderByDescending(s => s.Seconds).First();
        Assert.Equal(Speaker.Customer, main.By);
        Assert.InRange(main.StartS, customerStart - 0.2, customerStart + 0.2);
    }

    [Fact]
    public void Forty_second_hold_with_music_is_measured_as_a_hold_of_forty_seconds()
    {
        var before = Speech.Say("es", "le voy a poner en espera un momento");
        var after = Speech.Say("es", "gracias por esperar ya tengo su información");
        var agentChannel = Speech.Concat(before, Speech.HoldMusic(40), after);
        var customerChannel = Speech.Silence(Speech.Seconds(agentChannel));
        var audio = Speech.Take(Speech.Chunks("c1", Speakers.Agent, agentChannel, Speech.Rate, 0, 500)
            .Concat(Speech.Chunks("c1", Speakers.Customer, customerChannel, Speech.Rate, 0, 500)));
        var m = AudioMeasurer.Measure(audio.Tracks, [], Options);
        Assert.True(m.Spans.Count(s => s.Kind == AcousticSpanKinds.Hold) == 1, string.Join("; ", m.Spans));
        var hold = Assert.Single(m.Spans, s => s.Kind == AcousticSpanKinds.Hold);
        Assert.InRange(hold.Seconds, 39.8, 40.3);
        Assert.InRange(hold.StartS, Speech.Seconds(before) - 0.2, Speech.Seconds(before) + 0.2);
        Assert.DoesNotContain(m.Spans, s => s.Kind == AcousticSpanKinds.DeadAir);
    }

    [Fact]
    public void Thirty_seconds_of_nothing_is_dead_air_not_a_hold()
    {
        var before = Speech.Say("en", "let me check that for you");
        var after = Speech.Say("en", "are you still there");
        var agentChannel = Speech.Concat(before, Speech.Silence(30), Speech.Silence(Speech.Seconds(after)));
        var customerChannel = Speech.Concat(Speech.Silence(Speech.Seconds(before) + 30), after);
        var audio = Speech.Take(Speech.Chunks("c1", Speakers.Agent, agentChannel, Speech.Rate, 0, 500)
            .Concat(Speech.Chunks("c1", Speakers.Customer, customerChannel, Speech.Rate, 0, 500)));
        var m = AudioMeasurer.Measure(audio.Tracks, [], Options);
        var dead = Assert.Single(m.Spans, s => s.Kind == AcousticSpanKinds.DeadAir);
        Assert.InRange(dead.Seconds, 29.8, 30.3);
        Assert.DoesNotContain(m.Spans, s => s.Kind == AcousticSpanKinds.Hold);
    }

    [Theory]
    [InlineData("raw", "mu-law", AudioEncodings.Mulaw)]
    [InlineData("raw", "a-law", AudioEncodings.Alaw)]
    [InlineData("wav", "mu-law", AudioEncodings.Wav)]
    [InlineData("wav", "a-law", AudioEncodings.Wav)]
    public void Telephone_encodings_at_8_kHz_measure_like_the_linear_original(string type, string soxEncoding, string encoding)
    {
        var pcm = Speech.Say("es", Es);
        var linear = Whole(Speakers.Customer, pcm, Es);
        var coded = Speech.Convert16k(pcm, type, soxEncoding, 8000, 8);
        var chunks = type == "wav"
            ? [new AudioChunk(new AudioChunkMeta { ConversationId = "c1", Channel = Speakers.Customer, Seq = 0, StartMs = 0, Encoding = encoding, SampleRate = 8000 }, coded)]
            : Speech.Chunks("c1", Speakers.Customer, coded, 8000, 0, 200, encoding, bytesPerFrame: 1);
        var audio = Speech.Take(chunks);
        var w = Assert.Single(AudioMeasurer.Measure(audio.Tracks, [new TurnTiming(0, Speaker.Customer, 0, (long)(Speech.Seconds(pcm) * 1000), Es)], Options).Windows);
        Assert.InRange(w.LoudnessDbfs!.Value, linear.LoudnessDbfs!.Value - 1, linear.LoudnessDbfs.Value + 1);
        Assert.InRange(w.PitchMedianHz!.Value / linear.PitchMedianHz!.Value, 0.97, 1.03);
        Assert.InRange(w.VoicedS, linear.VoicedS - 0.15, linear.VoicedS + 0.15);
    }

    [Fact]
    public void Chunks_out_of_order_and_repeated_measure_the_same_as_in_order()
    {
        var pcm = Speech.Say("en", En);
        var inOrder = Speech.Chunks("c1", Speakers.Customer, pcm, Speech.Rate, 0, 100);
        var expected = AudioMeasurer.Measure(Speech.Take(inOrder).Tracks, [], Options);
        // Swap neighbours, move one chunk four places late, and send three chunks twice.
        var shuffled = inOrder.ToList();
        for (var i = 0; i + 1 < shuffled.Count; i += 2) (shuffled[i], shuffled[i + 1]) = (shuffled[i + 1], shuffled[i]);
        var moved = shuffled[10];
        shuffled.RemoveAt(10);
        shuffled.Insert(14, moved);
        shuffled.Insert(5, inOrder[3]);
        shuffled.Insert(20, inOrder[17]);
        shuffled.Add(inOrder[0]);
        var audio = new ConversationAudio();
        var outcomes = shuffled.Select(c => audio.Add(c, 0).Outcome).ToList();
        audio.Complete();
        Assert.Equal(3, outcomes.Count(o => o == ChunkOutcome.Duplicate));
        Assert.Equal(3, audio.Duplicates);
        Assert.Equal(0, audio.Missing);
        var actual = AudioMeasurer.Measure(audio.Tracks, [], Options);
        Assert.Equal(expected.Windows.Count, actual.Windows.Count);
        for (var i = 0; i < expected.Windows.Count; i++)
        {
            Assert.Equal(expected.Windows[i].VoicedS, actual.Windows[i].VoicedS, 2);
            Assert.Equal(expected.Windows[i].LoudnessDbfs!.Value, actual.Windows[i].LoudnessDbfs!.Value, 1);
            Assert.Equal(expected.Windows[i].PitchMedianHz!.Value, actual.Windows[i].PitchMedianHz!.Value, 0);
        }
    }

    [Fact]
    public void A_missing_chunk_is_skipped_once_the_reorder_window_fills()
    {
        var pcm = Speech.Say("en", En);
        var chunks = Speech.Chunks("c1", Speakers.Customer, pcm, Speech.Rate, 0, 100);
        chunks.RemoveAt(5);
        var audio = new ConversationAudio();
        foreach (var c in chunks.Take(5 + ConversationAudio.ReorderWindow)) audio.Add(c, 0);
        // The chunks after the gap were measured without waiting for the end.
        Assert.True(audio.Tracks[Speakers.Customer].End * AudioFrames.FrameMs > 600);
        Assert.Equal(1, audio.Missing);
    }

    [Fact]
    public void Stereo_chunk_is_split_by_its_channel_map()
    {
        var agent = Speech.Say("es", "buenos días");
        var customer = Speech.Say("es", "buenos días", soxEffects: "vol 0.1");
        var frames = Math.Max(agent.Length, customer.Length) / 2;
        var stereo = new byte[frames * 4];
        for (var i = 0; i < frames; i++)
        {
            // Left is the customer, right the agent.
            if (i * 2 < customer.Length) customer.AsSpan(i * 2, 2).CopyTo(stereo.AsSpan(i * 4));
            if (i * 2 < agent.Length) agent.AsSpan(i * 2, 2).CopyTo(stereo.AsSpan(i * 4 + 2));
        }
        var meta = new AudioChunkMeta
        {
            ConversationId = "c1", Channel = AudioChannels.Stereo, ChannelMap = [Speakers.Customer, Speakers.Agent], Seq = 0, StartMs = 0,
            Encoding = AudioEncodings.Pcm16, SampleRate = Speech.Rate,
        };
        var decoded = AudioDecoder.Decode(meta, stereo);
        Assert.Equal([Speakers.Customer, Speakers.Agent], decoded.Channels.Select(c => c.Speaker));
        var audio = Speech.Take([new AudioChunk(meta, stereo)]);
        var m = AudioMeasurer.Measure(audio.Tracks, [], Options);
        var a = m.Windows.Where(w => w.Speaker == Speaker.Agent).Max(w => w.LoudnessDbfs!.Value);
        var c = m.Windows.Where(w => w.Speaker == Speaker.Customer).Max(w => w.LoudnessDbfs!.Value);
        Assert.InRange(a - c, 19, 21);
    }

    [Fact]
    public void Corrupted_wav_chunk_cannot_be_decoded_and_says_why()
    {
        var wav = Speech.Convert16k(Speech.Say("es", "hola"), "wav", "signed-integer", 16000, 16);
        var corrupt = wav.ToArray();
        "JUNK"u8.CopyTo(corrupt.AsSpan(0, 4));
        var meta = new AudioChunkMeta { ConversationId = "c1", Channel = Speakers.Agent, Seq = 0, StartMs = 0, Encoding = AudioEncodings.Wav, SampleRate = 16000 };
        var ex = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(meta, corrupt));
        Assert.Contains("wav header could not be read", ex.Message, StringComparison.Ordinal);
        // The ingest decoder dead-letters it before it reaches the audio stage.
        Assert.Equal("wav payload does not start with a RIFF/WAVE header", WavHeader.Check(corrupt, 1, 16000));
        Assert.Equal("wav header says 16000 Hz, field 'sample_rate' says 8000", WavHeader.Check(wav, 1, 8000));
        Assert.Null(WavHeader.Check(wav, 1, 16000));
        var audio = new ConversationAudio();
        Assert.Throws<AudioDecodeException>(() => audio.Add(new AudioChunk(meta, corrupt), 0));
        // The sequence is free again: the good chunk with the same number is taken.
        Assert.Equal(ChunkOutcome.Measured, audio.Add(new AudioChunk(meta, wav), 0).Outcome);
    }
}
