using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using Emotion.Ingest.Contracts;
using NAudio.Codecs;
using NAudio.Wave;

namespace Emotion.Audio;

/// <summary>A chunk's samples per speaker, as floats in [-1, 1] at <see cref="SampleRate"/>.</summary>
/// <param name="Channels">Speaker (<c>agent</c> or <c>customer</c>) and that speaker's samples, in the chunk's channel order.</param>
public sealed record DecodedAudio(int SampleRate, IReadOnlyList<(string Speaker, float[] Samples)> Channels)
{
    /// <summary>Duration of the chunk in milliseconds.</summary>
    public double DurationMs => Channels.Count == 0 ? 0 : Channels[0].Samples.Length * 1000.0 / SampleRate;
}

/// <summary>A chunk whose bytes cannot be decoded; the message names what is wrong.</summary>
public sealed class AudioDecodeException : Exception
{
    public AudioDecodeException() { }
    public AudioDecodeException(string message) : base(message) { }
    public AudioDecodeException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Decodes an audio chunk (<c>emotion.audio.v1</c>) into float samples per speaker: 16-bit PCM, G.711 mu-law and
/// A-law with NAudio's codecs, WAV with NAudio's <see cref="WaveFileReader"/> (16-bit PCM, 32-bit float, mu-law,
/// A-law); a stereo chunk is split by its <c>channel_map</c>.
/// </summary>
public static class AudioDecoder
{
    /// <summary>Decodes <paramref name="payload"/> as <paramref name="meta"/> describes it.</summary>
    /// <exception cref="AudioDecodeException">The bytes do not hold what the metadata says.</exception>
    public static DecodedAudio Decode(AudioChunkMeta meta, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(meta);
        var speakers = meta.Channel == AudioChannels.Stereo
            ? meta.ChannelMap ?? throw new AudioDecodeException("a stereo chunk needs 'channel_map'")
            : [meta.Channel];
        if (payload.IsEmpty) throw new AudioDecodeException("empty audio chunk");
        float[] interleaved;
        int rate = meta.SampleRate;
        switch (meta.Encoding)
        {
            case AudioEncodings.Pcm16:
                interleaved = Pcm16(payload.Span);
                break;
            case AudioEncodings.Mulaw:
                interleaved = G711(payload.Span, mu: true);
                break;
            case AudioEncodings.Alaw:
                interleaved = G711(payload.Span, mu: false);
                break;
            case AudioEncodings.Wav:
                (interleaved, rate) = Wav(payload, speakers.Count);
                break;
            default:
                throw new AudioDecodeException($"unknown encoding '{meta.Encoding}'");
        }
        var n = speakers.Count;
        if (interleaved.Length % n != 0)
            throw new AudioDecodeException(string.Create(CultureInfo.InvariantCulture, $"{interleaved.Length} samples are not whole frames of {n} channels"));
        var frames = interleaved.Length / n;
        var channels = new List<(string, float[])>(n);
        for (var c = 0; c < n; c++)
        {
            if (n == 1)
            {
                channels.Add((speakers[c], interleaved));
                continue;
            }
            var mono = new float[frames];
            for (var i = 0; i < frames; i++) mono[i] = interleaved[i * n + c];
            channels.Add((speakers[c], mono));
        }
        return new DecodedAudio(rate, channels);
    }

    // Per-sample loops run on every chunk: optimized at the first call, not after tiering (see ChannelStream.Energy).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] Pcm16(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 2 != 0) throw new AudioDecodeException("pcm16 payload has an odd length");
        var samples = new float[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(i * 2, 2)) / 32768f;
        return samples;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] G711(ReadOnlySpan<byte> bytes, bool mu)
    {
        var linear = new short[bytes.Length];
        if (mu) MuLawDecoder.Decode(bytes, linear);
        else ALawDecoder.Decode(bytes, linear);
        var samples = new float[linear.Length];
        for (var i = 0; i < linear.Length; i++) samples[i] = linear[i] / 32768f;
        return samples;
    }

    private static (float[] Samples, int Rate) Wav(ReadOnlyMemory<byte> payload, int channels)
    {
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(new ReadOnlyMemoryStream(payload));
        }
        catch (Exception ex) when (ex is FormatException or EndOfStreamException or InvalidDataException or ArgumentException or IOException)
        {
            throw new AudioDecodeException($"wav header could not be read ({ex.Message})", ex);
        }
        using (reader)
        {
            var f = reader.WaveFormat;
            if (f.Channels != channels)
                throw new AudioDecodeException(string.Create(CultureInfo.InvariantCulture, $"wav has {f.Channels} channels, the metadata needs {channels}"));
            var data = new byte[reader.Length];
            var read = 0;
            while (read < data.Length)
            {
                var got = reader.Read(data.AsSpan(read));
                if (got <= 0) break;
                read += got;
            }
            var bytes = data.AsSpan(0, read);
            var samples = (f.Encoding, f.BitsPerSample) switch
            {
                (WaveFormatEncoding.Pcm, 16) or (WaveFormatEncoding.Extensible, 16) => Pcm16(bytes[..(bytes.Length & ~1)]),
                (WaveFormatEncoding.IeeeFloat, 32) or (WaveFormatEncoding.Extensible, 32) => Float32(bytes),
                (WaveFormatEncoding.MuLaw, 8) => G711(bytes, mu: true),
                (WaveFormatEncoding.ALaw, 8) => G711(bytes, mu: false),
                _ => throw new AudioDecodeException(string.Create(CultureInfo.InvariantCulture,
                    $"wav format {f.Encoding} with {f.BitsPerSample}-bit samples is not decoded (16-bit PCM, 32-bit float, A-law or mu-law)")),
            };
            if (samples.Length == 0) throw new AudioDecodeException("wav holds no samples");
            return (samples, f.SampleRate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] Float32(ReadOnlySpan<byte> bytes)
    {
        var samples = new float[bytes.Length / 4];
        for (var i = 0; i < samples.Length; i++)
        {
            var v = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
            samples[i] = float.IsFinite(v) ? Math.Clamp(v, -1f, 1f) : 0f;
        }
        return samples;
    }

    /// <summary>A read-only, seekable stream over a chunk's bytes (no copy).</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => memory.Length;
        public override long Position { get => _position; set => _position = (int)Math.Clamp(value, 0, memory.Length); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin)
        {
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => memory.Length + offset,
            };
            return _position;
        }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
