using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Emotion.Audio;
using Emotion.Ingest.Contracts;

namespace Emotion.Audio.Tests;

/// <summary>
/// Real speech for the tests, made at test time by Debian's <c>espeak-ng</c> (speech) and <c>sox</c> (trimming, level,
/// pitch, encodings), which scripts/setup.sh installs. Each clip is trimmed to its first and last sound, so its length
/// is the known answer for where the speech is. A missing tool fails the test: a test that needs speech must not pass
/// without it.
/// </summary>
public static class Speech
{
    /// <summary>Rate of the clips (Hz).</summary>
    public const int Rate = 16000;

    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "emotion-audio-tests-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    private static readonly Lock Gate = new();

    /// <summary>
    /// Speaks <paramref name="text"/> with espeak-ng voice <paramref name="voice"/> at <paramref name="wpm"/> words per minute
    /// and espeak pitch <paramref name="pitch"/> (0-99), then applies <paramref name="soxEffects"/>; returns 16 kHz mono
    /// 16-bit PCM (little-endian), trimmed to the speech and at -6 dB peak before the effects.
    /// </summary>
    public static byte[] Say(string voice, string text, int wpm = 160, int pitch = 50, string soxEffects = "")
    {
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{voice}|{text}|{wpm}|{pitch}|{soxEffects}")))[..16];
        var raw = Path.Combine(Dir, key + ".raw");
        lock (Gate)
        {
            if (File.Exists(raw)) return File.ReadAllBytes(raw);
            Directory.CreateDirectory(Dir);
            var wav = Path.Combine(Dir, key + ".wav");
            Run("espeak-ng", ["-v", voice, "-s", wpm.ToString(CultureInfo.InvariantCulture), "-p", pitch.ToString(CultureInfo.InvariantCulture), "-w", wav, text]);
            var args = new List<string> { wav, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", Rate.ToString(CultureInfo.InvariantCulture), raw,
                "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse", "norm", "-6" };
            args.AddRange(soxEffects.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Run("sox", args);
            return File.ReadAllBytes(raw);
        }
    }

    /// <summary>Converts 16 kHz PCM16 with sox: to <paramref name="type"/> (<c>raw</c> or <c>wav</c>) in <paramref name="encoding"/>
    /// (<c>mu-law</c>, <c>a-law</c>, <c>signed-integer</c>) at <paramref name="rate"/>.</summary>
    public static byte[] Convert16k(byte[] pcm16, string type, string encoding, int rate, int bits)
    {
        lock (Gate)
        {
            Directory.CreateDirectory(Dir);
            var key = Guid.NewGuid().ToString("N");
            var input = Path.Combine(Dir, key + ".in.raw");
            var output = Path.Combine(Dir, key + ".out." + type);
            File.WriteAllBytes(input, pcm16);
            Run("sox", ["-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", Rate.ToString(CultureInfo.InvariantCulture), input,
                "-t", type, "-e", encoding, "-b", bits.ToString(CultureInfo.InvariantCulture), "-r", rate.ToString(CultureInfo.InvariantCulture), output]);
            var bytes = File.ReadAllBytes(output);
            File.Delete(input);
            File.Delete(output);
            return bytes;
        }
    }

    /// <summary>A steady tune (hold music) of <paramref name="seconds"/> s: sine notes at one level, 16 kHz PCM16.</summary>
    public static byte[] HoldMusic(double seconds, double amplitude = 0.1)
    {
        var notes = new[] { 440.0, 494, 523, 587, 659, 587, 523, 494 };
        var n = (int)(seconds * Rate);
        var bytes = new byte[n * 2];
        for (var i = 0; i < n; i++)
        {
            var f = notes[(i / (Rate / 2)) % notes.Length];
            var v = (short)(amplitude * 32767 * Math.Sin(2 * Math.PI * f * i / Rate));
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), v);
        }
        return bytes;
    }

    /// <summary>Seconds in 16 kHz PCM16 bytes.</summary>
    public static double Seconds(byte[] pcm16) => pcm16.Length / 2.0 / Rate;

    /// <summary>Digital silence of <paramref name="seconds"/> s, 16 kHz PCM16.</summary>
    public static byte[] Silence(double seconds) => new byte[(int)Math.Round(seconds * Rate) * 2];

    /// <summary>Joins PCM16 pieces.</summary>
    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Cuts PCM16 (or any encoding) into chunks of <paramref name="chunkMs"/> ms from <paramref name="startMs"/>.</summary>
    public static List<AudioChunk> Chunks(string conversation, string channel, byte[] payload, int rate, long startMs, int chunkMs,
        string encoding = AudioEncodings.Pcm16, int bytesPerFrame = 2, long firstSeq = 0)
    {
        var chunk = rate * chunkMs / 1000 * bytesPerFrame;
        var list = new List<AudioChunk>();
        var seq = firstSeq;
        for (var off = 0; off < payload.Length; off += chunk)
        {
            var len = Math.Min(chunk, payload.Length - off);
            var meta = new AudioChunkMeta
            {
                ConversationId = conversation,
                Channel = channel,
                Seq = seq++,
                StartMs = startMs + (long)Math.Round(off / (double)bytesPerFrame * 1000.0 / rate),
                Encoding = encoding,
                SampleRate = rate,
            };
            list.Add(new AudioChunk(meta, payload.AsMemory(off, len).ToArray()));
        }
        return list;
    }

    /// <summary>Adds every chunk to <paramref name="audio"/> and completes it.</summary>
    public static ConversationAudio Take(IEnumerable<AudioChunk> chunks, ConversationAudio? audio = null)
    {
        audio ??= new ConversationAudio();
        foreach (var c in chunks) audio.Add(c, 1_700_000_000_000);
        audio.Complete();
        return audio;
    }

    private static void Run(string tool, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{tool}' is needed to make test speech: run scripts/setup.sh (apt-get install espeak-ng sox)", ex);
        }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
        }
    }
}
