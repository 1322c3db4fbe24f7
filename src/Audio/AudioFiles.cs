using System.Globalization;
using Emotion.Ingest.Contracts;
using NAudio.Wave;
using Speakers = Emotion.Ingest.Contracts.Speakers;

namespace Emotion.Audio;

/// <summary>A chunk to send and when its audio ends on the call's timeline (seconds from the call's start).</summary>
public sealed record TimedChunk(AudioChunk Chunk, double EndS);

/// <summary>
/// A call's audio files as a producer would send them (<c>emotion replay --audio DIR</c>): <c>ID.agent.wav</c> and
/// <c>ID.customer.wav</c> (one channel each), or <c>ID.wav</c> with two channels (left agent, right customer), cut into
/// chunks of a fixed length. PCM16, mu-law and A-law files keep their encoding; others are sent as PCM16.
/// </summary>
public static class AudioFiles
{
    /// <summary>The chunks of conversation <paramref name="conversationId"/>'s files in <paramref name="directory"/>, by
    /// end time; empty when it has none.</summary>
    public static IReadOnlyList<TimedChunk> ForConversation(string directory, string conversationId, string? tenant, int chunkMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var result = new List<TimedChunk>();
        foreach (var speaker in new[] { Speakers.Agent, Speakers.Customer })
        {
            var path = Path.Combine(directory, $"{conversationId}.{speaker}.wav");
            if (File.Exists(path)) result.AddRange(Read(path, conversationId, speaker, null, tenant, chunkMs));
        }
        var stereo = Path.Combine(directory, conversationId + ".wav");
        if (result.Count == 0 && File.Exists(stereo))
            result.AddRange(Read(stereo, conversationId, AudioChannels.Stereo, [Speakers.Agent, Speakers.Customer], tenant, chunkMs));
        return result.OrderBy(c => c.EndS).ToList();
    }

    /// <summary>Cuts one WAV file into chunks of <paramref name="chunkMs"/> for <paramref name="channel"/>; the last one says so.</summary>
    public static IReadOnlyList<TimedChunk> Read(string path, string conversationId, string channel, IReadOnlyList<string>? channelMap, string? tenant, int chunkMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkMs, 10);
        using var reader = new WaveFileReader(path);
        var f = reader.WaveFormat;
        var expected = channel == AudioChannels.Stereo ? 2 : 1;
        if (f.Channels != expected)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: {f.Channels} channels, {channel} needs {expected}"));
        var data = new byte[reader.Length];
        var read = 0;
        while (read < data.Length && reader.Read(data.AsSpan(read)) is var n && n > 0) read += n;
        var (encoding, bytes, bytesPerFrame) = (f.Encoding, f.BitsPerSample) switch
        {
            (WaveFormatEncoding.Pcm, 16) => (AudioEncodings.Pcm16, data.AsMemory(0, read), 2 * f.Channels),
            (WaveFormatEncoding.MuLaw, 8) => (AudioEncodings.Mulaw, data.AsMemory(0, read), f.Channels),
            (WaveFormatEncoding.ALaw, 8) => (AudioEncodings.Alaw, data.AsMemory(0, read), f.Channels),
            _ => (AudioEncodings.Pcm16, ToPcm16(path), 2 * f.Channels),
        };
        var frames = bytes.Length / bytesPerFrame;
        var perChunk = Math.Max(1, f.SampleRate * chunkMs / 1000);
        var chunks = new List<TimedChunk>();
        for (long start = 0, seq = 0; start < frames; start += perChunk, seq++)
        {
            var count = (int)Math.Min(perChunk, frames - start);
            var meta = new AudioChunkMeta
            {
                ConversationId = conversationId,
                Channel = channel,
                ChannelMap = channelMap,
                Seq = seq,
                StartMs = start * 1000 / f.SampleRate,
                Encoding = encoding,
                SampleRate = f.SampleRate,
                Tenant = tenant,
                Last = start + count >= frames ? true : null,
            };
            var payload = bytes.Slice((int)(start * bytesPerFrame), count * bytesPerFrame).ToArray();
            chunks.Add(new TimedChunk(new AudioChunk(meta, payload), (start + count) / (double)f.SampleRate));
        }
        return chunks;
    }

    private static byte[] ToPcm16(string path)
    {
        using var reader = new AudioFileReaderless(path);
        return reader.Pcm16();
    }

    /// <summary>Any WAV NAudio reads as samples, converted to 16-bit PCM.</summary>
    private sealed class AudioFileReaderless(string path) : IDisposable
    {
        private readonly WaveFileReader _reader = new(path);

        public byte[] Pcm16()
        {
            var provider = _reader.ToSampleProvider();
            var samples = new List<float>();
            var buffer = new float[4096];
            int n;
            while ((n = provider.Read(buffer)) > 0) samples.AddRange(buffer.AsSpan(0, n));
            var bytes = new byte[samples.Count * 2];
            for (var i = 0; i < samples.Count; i++)
            {
                var v = (short)Math.Clamp(Math.Round(samples[i] * 32767), short.MinValue, short.MaxValue);
                System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), v);
            }
            return bytes;
        }

        public void Dispose() => _reader.Dispose();
    }
}
