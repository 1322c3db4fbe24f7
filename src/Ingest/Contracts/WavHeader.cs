using System.Buffers.Binary;
using System.Globalization;

namespace Emotion.Ingest.Contracts;

/// <summary>
/// What a WAV audio chunk's header says, read by hand so that the decoder can dead-letter a chunk the audio stage could
/// not read (a corrupted header, a format it does not decode, a header that disagrees with the metadata) without
/// depending on an audio library. The audio stage decodes the samples with NAudio.
/// </summary>
/// <param name="FormatTag">1 PCM, 3 IEEE float, 6 A-law, 7 mu-law (the sub-format of an extensible header).</param>
public readonly record struct WavHeader(int FormatTag, int Channels, int SampleRate, int BitsPerSample, int DataOffset, int DataLength)
{
    /// <summary>PCM integer samples.</summary>
    public const int Pcm = 1;
    /// <summary>32-bit IEEE float samples.</summary>
    public const int IeeeFloat = 3;
    /// <summary>G.711 A-law, 8 bits.</summary>
    public const int ALaw = 6;
    /// <summary>G.711 mu-law, 8 bits.</summary>
    public const int MuLaw = 7;
    private const int Extensible = 0xFFFE;

    /// <summary>Reads the header of <paramref name="wav"/>; null with <paramref name="error"/> when it is not a WAV this project decodes.</summary>
    public static WavHeader? Read(ReadOnlySpan<byte> wav, out string? error)
    {
        error = null;
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            error = "wav payload does not start with a RIFF/WAVE header";
            return null;
        }
        int? tag = null, channels = null, rate = null, bits = null;
        var pos = 12;
        while (pos + 8 <= wav.Length)
        {
            var id = wav.Slice(pos, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(pos + 4, 4));
            var body = pos + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > wav.Length)
                {
                    error = "wav 'fmt ' chunk is truncated";
                    return null;
                }
                tag = BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body, 2));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body + 2, 2));
                rate = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(body + 4, 4)));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body + 14, 2));
                // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the real format tag.
                if (tag == Extensible && size >= 40 && body + 26 <= wav.Length) tag = BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body + 24, 2));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (tag is null)
                {
                    error = "wav 'data' chunk comes before its 'fmt ' chunk";
                    return null;
                }
                // A streaming writer may leave the size unset (0 or 0xFFFFFFFF): the data runs to the end of the chunk.
                var available = wav.Length - body;
                var length = size == 0 || size > (uint)available ? available : (int)size;
                return new WavHeader(tag.Value, channels!.Value, rate!.Value, bits!.Value, body, length);
            }
            if (size > (uint)(wav.Length - body)) break;
            pos = body + (int)size + (int)(size & 1);
        }
        error = tag is null ? "wav payload has no 'fmt ' chunk" : "wav payload has no 'data' chunk";
        return null;
    }

    /// <summary>
    /// Null when <paramref name="wav"/> is a WAV the audio stage decodes (16-bit PCM, 32-bit float, 8-bit A-law or mu-law)
    /// with <paramref name="channels"/> channels at <paramref name="sampleRate"/> Hz and whole frames of samples;
    /// otherwise the reason.
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> wav, int channels, int sampleRate)
    {
        if (Read(wav, out var error) is not { } h) return error;
        var supported = (h.FormatTag, h.BitsPerSample) is (Pcm, 16) or (IeeeFloat, 32) or (ALaw, 8) or (MuLaw, 8);
        if (!supported)
            return string.Create(CultureInfo.InvariantCulture,
                $"wav format {h.FormatTag} with {h.BitsPerSample}-bit samples is not decoded (16-bit PCM, 32-bit float, A-law or mu-law)");
        if (h.Channels != channels)
            return string.Create(CultureInfo.InvariantCulture, $"wav header has {h.Channels} channels, the metadata's channel needs {channels}");
        if (h.SampleRate != sampleRate)
            return string.Create(CultureInfo.InvariantCulture, $"wav header says {h.SampleRate} Hz, field 'sample_rate' says {sampleRate}");
        var frame = h.Channels * h.BitsPerSample / 8;
        if (h.DataLength == 0) return "wav 'data' chunk is empty";
        if (h.DataLength % frame != 0)
            return string.Create(CultureInfo.InvariantCulture, $"wav data is not whole frames of {frame} bytes ({h.DataLength} bytes)");
        return null;
    }
}
