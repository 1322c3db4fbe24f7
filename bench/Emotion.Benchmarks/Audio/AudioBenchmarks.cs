using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Emotion.Audio;
using Emotion.Ingest.Contracts;
using Emotion.Scoring;

namespace Emotion.Benchmarks.Audio;

/// <summary>
/// Audio seconds processed per second on one core (issue 12, goal at least 500x real time): one minute of real speech
/// (espeak-ng, Spanish, made at set-up; needs espeak-ng and sox) per channel, in 500 ms chunks, decoded and measured into
/// frames as the pipeline does (<see cref="ConversationAudio"/>), and the finalization's measures over two channels.
/// Divide 60 s (or 120 s for two channels) by the mean to get the real-time factor.
/// </summary>
[Config(typeof(OneCoreConfig))]
[MemoryDiagnoser]
public class AudioBenchmarks
{
    private const int Seconds = 60;
    private List<AudioChunk> _pcm16 = [];
    private List<AudioChunk> _mulaw = [];
    private IReadOnlyDictionary<string, FrameTrack> _tracks = new Dictionary<string, FrameTrack>();

    [GlobalSetup]
    public void Setup()
    {
        var dir = Directory.CreateTempSubdirectory("emotion-audio-bench-").FullName;
        try
        {
            var text = "me cobraron dos veces la cuota del préstamo y nadie me soluciona nada. ya llamé la semana pasada y me dijeron lo mismo. " +
                "quiero que me devuelvan el dinero hoy mismo porque no es la primera vez que pasa.";
            Run("espeak-ng", ["-v", "es", "-w", Path.Combine(dir, "s.wav"), text]);
            // Repeat the speech to one minute: 16 kHz PCM16 and 8 kHz mu-law, raw.
            Run("sox", [Path.Combine(dir, "s.wav"), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", Path.Combine(dir, "a.raw"),
                "repeat", "20", "trim", "0", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "norm", "-6"]);
            Run("sox", ["-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", Path.Combine(dir, "a.raw"),
                "-t", "raw", "-r", "8000", "-e", "mu-law", "-b", "8", Path.Combine(dir, "m.raw")]);
            _pcm16 = Chunks(File.ReadAllBytes(Path.Combine(dir, "a.raw")), AudioEncodings.Pcm16, 16000, 2, Speakers.Customer);
            _mulaw = Chunks(File.ReadAllBytes(Path.Combine(dir, "m.raw")), AudioEncodings.Mulaw, 8000, 1, Speakers.Customer);
            var call = new ConversationAudio();
            foreach (var c in _pcm16) call.Add(c, 0);
            // The same speech on the agent's channel, 3 s later: overtalk, silences, windows on both.
            foreach (var c in Chunks(File.ReadAllBytes(Path.Combine(dir, "m.raw")), AudioEncodings.Mulaw, 8000, 1, Speakers.Agent, offsetMs: 3000)) call.Add(c, 0);
            call.Complete();
            _tracks = call.Tracks;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>One minute of 16 kHz PCM16 (one channel): decode, resample to 8 kHz, energy and pitch per frame.</summary>
    [Benchmark]
    public int Pcm16_16kHz_one_minute() => Take(_pcm16);

    /// <summary>One minute of 8 kHz mu-law (one channel, the telephone case).</summary>
    [Benchmark(Baseline = true)]
    public int Mulaw_8kHz_one_minute() => Take(_mulaw);

    /// <summary>The finalization's measures over two one-minute channels: speech, overtalk, silences, fixed windows, arousal.</summary>
    [Benchmark]
    public int Measure_two_channels_one_minute() => AudioMeasurer.Measure(_tracks, [], new AudioOptions()).Windows.Count;

    private static int Take(List<AudioChunk> chunks)
    {
        var audio = new ConversationAudio();
        foreach (var c in chunks) audio.Add(c, 0);
        audio.Complete();
        return audio.Tracks[Speakers.Customer].Covered;
    }

    private static List<AudioChunk> Chunks(byte[] bytes, string encoding, int rate, int bytesPerSample, string channel, long offsetMs = 0)
    {
        var size = rate / 2 * bytesPerSample;
        var list = new List<AudioChunk>();
        for (int off = 0, seq = 0; off < bytes.Length; off += size, seq++)
        {
            var meta = new AudioChunkMeta
            {
                ConversationId = "bench", Channel = channel, Seq = seq, StartMs = offsetMs + off / bytesPerSample * 1000L / rate,
                Encoding = encoding, SampleRate = rate,
            };
            list.Add(new AudioChunk(meta, bytes.AsMemory(off, Math.Min(size, bytes.Length - off)).ToArray()));
        }
        return list;
    }

    private static void Run(string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start (install espeak-ng and sox: scripts/setup.sh)");
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed: {err}");
    }

    private sealed class OneCoreConfig : ManualConfig
    {
        // In process: on the shared 2-core machine BenchmarkDotNet's child build ran past its 2-minute limit. The code
        // measured is single-threaded, so it uses one core either way.
        public OneCoreConfig() => AddJob(Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
    }
}
