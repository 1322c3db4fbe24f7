using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NAudio.Dsp;

namespace Emotion.Audio;

/// <summary>The fixed grid every channel is measured on: 8 kHz, 20 ms frames at absolute offsets from the call's start.</summary>
public static class AudioFrames
{
    /// <summary>Every channel is resampled to this rate: telephone speech carries nothing above 4 kHz that these measures use.</summary>
    public const int WorkingRate = 8000;
    /// <summary>Frame hop and length of the energy measure.</summary>
    public const int FrameMs = 20;
    /// <summary>Samples per frame at <see cref="WorkingRate"/>.</summary>
    public const int FrameSamples = WorkingRate * FrameMs / 1000;
    /// <summary>Lowest and highest pitch searched (Hz): low male to high female or raised voice.</summary>
    public const float MinPitchHz = 60, MaxPitchHz = 400;
    /// <summary>Samples the pitch search looks at from a frame's start: one frame plus the longest period.</summary>
    public const int PitchSpan = FrameSamples + WorkingRate / (int)MinPitchHz + 1;
    /// <summary>Energy of a frame of digital silence (dBFS), so that no frame is minus infinity.</summary>
    public const float SilenceDb = -120f;

    /// <summary>The frame that holds offset <paramref name="ms"/>.</summary>
    public static long FrameAt(double ms) => (long)Math.Floor(ms / FrameMs);
}

/// <summary>
/// One channel's frames over the call: energy (dBFS) and pitch (Hz, 0 when unvoiced) per 20 ms frame, by absolute frame
/// index (frame k covers [20k, 20k + 20) ms from the call's start). Frames no chunk covered are missing (NaN energy).
/// About 8 bytes a frame: 400 bytes per second of audio.
/// </summary>
public sealed class FrameTrack
{
    private readonly List<float> _db = [];
    private readonly List<float> _f0 = [];

    /// <summary>Index of the first frame held.</summary>
    public long Origin { get; private set; }

    /// <summary>One past the last frame held.</summary>
    public long End => Origin + _db.Count;

    /// <summary>Frames with audio.</summary>
    public int Covered { get; private set; }

    /// <summary>Energy of frame <paramref name="k"/> in dBFS, NaN when no audio covers it.</summary>
    public float Db(long k) => k >= Origin && k < End ? _db[(int)(k - Origin)] : float.NaN;

    /// <summary>Pitch of frame <paramref name="k"/> in Hz; 0 when unvoiced or missing.</summary>
    public float F0(long k) => k >= Origin && k < End ? _f0[(int)(k - Origin)] : 0f;

    /// <summary>Whether audio covers frame <paramref name="k"/>.</summary>
    public bool Has(long k) => !float.IsNaN(Db(k));

    /// <summary>Sets frame <paramref name="k"/> (a frame set twice keeps the later value: a re-sent chunk).</summary>
    public void Set(long k, float db, float f0)
    {
        if (k < 0) return;
        if (_db.Count == 0) Origin = k;
        if (k < Origin)
        {
            var shift = (int)(Origin - k);
            _db.InsertRange(0, Enumerable.Repeat(float.NaN, shift));
            _f0.InsertRange(0, Enumerable.Repeat(0f, shift));
            Origin = k;
        }
        while (k >= End)
        {
            _db.Add(float.NaN);
            _f0.Add(0f);
        }
        var i = (int)(k - Origin);
        if (float.IsNaN(_db[i])) Covered++;
        _db[i] = db;
        _f0[i] = f0;
    }
}

/// <summary>
/// Turns one channel's decoded chunks into frames on its <see cref="FrameTrack"/>: resamples to
/// <see cref="AudioFrames.WorkingRate"/> with NAudio's WDL resampler (state kept across chunks that follow each other),
/// measures each frame's energy, and its pitch with <see cref="PitchEstimator"/>. A chunk that does not continue the
/// previous one (a gap, a reordered or late chunk) starts the stream again at its own offset.
/// </summary>
public sealed class ChannelStream(FrameTrack track)
{
    private const double ContinuityToleranceMs = 30;
    private float[] _buffer = new float[AudioFrames.WorkingRate];
    private int _count;
    private long _bufferFrame; // absolute frame index of _buffer[0]
    private double _nextMs = double.NaN;
    private int _inputRate;
    private WdlResampler? _resampler;
    private Decimator? _decimator;
    private readonly PitchEstimator _pitch = new();

    /// <summary>The track this stream writes.</summary>
    public FrameTrack Track => track;

    /// <summary>Offset (ms) where the next chunk continues this stream; NaN before the first.</summary>
    public double NextMs => _nextMs;

    /// <summary>Adds one chunk's samples for this channel, starting at <paramref name="startMs"/>.</summary>
    public void Append(ReadOnlySpan<float> samples, int sampleRate, double startMs)
    {
        if (samples.IsEmpty) return;
        var durationMs = samples.Length * 1000.0 / sampleRate;
        var continues = !double.IsNaN(_nextMs) && sampleRate == _inputRate && Math.Abs(startMs - _nextMs) <= ContinuityToleranceMs;
        if (!continues)
        {
            Flush();
            _inputRate = sampleRate;
            // Whole multiples of 8 kHz (16, 32, 48 kHz) take the FIR decimator; other rates (11.025, 22.05, 44.1 kHz) NAudio's
            // WDL resampler, about ten times slower (BENCHMARKS.md, "Audio").
            _decimator = sampleRate % AudioFrames.WorkingRate == 0 && sampleRate > AudioFrames.WorkingRate
                ? new Decimator(sampleRate / AudioFrames.WorkingRate) : null;
            _resampler = sampleRate == AudioFrames.WorkingRate || _decimator is not null ? null : NewResampler(sampleRate);
            // Start on the grid: drop the samples before the next frame boundary.
            var firstFrame = (long)Math.Ceiling(startMs / AudioFrames.FrameMs);
            var skipMs = firstFrame * AudioFrames.FrameMs - startMs;
            _bufferFrame = firstFrame;
            _count = 0;
            _skip = (int)Math.Round(skipMs * AudioFrames.WorkingRate / 1000.0);
            _nextMs = startMs;
        }
        _nextMs += durationMs;
        if (_decimator is not null) Decimate(samples);
        else if (_resampler is null) Push(samples);
        else Resample(samples);
        Emit(final: false);
    }

    private int _skip;

    /// <summary>Measures what is left in the buffer (the end of the stream, or before a discontinuity).</summary>
    public void Flush()
    {
        if (_resampler is not null && _count + _skip > 0)
        {
            // The resampler holds back a few samples (its latency); feed silence to get them out.
            Resample(new float[_inputRate / 50]);
            var exact = (int)Math.Round((_nextMs - _bufferFrame * (double)AudioFrames.FrameMs) * AudioFrames.WorkingRate / 1000.0);
            if (exact >= 0 && exact < _count) _count = exact;
        }
        Emit(final: true);
        _count = 0;
        _nextMs = double.NaN;
        _resampler = null;
        _decimator = null;
    }

    private static WdlResampler NewResampler(int inputRate)
    {
        var r = new WdlResampler();
        r.SetMode(true, 2, false);
        r.SetFilterParms();
        r.SetFeedMode(true);
        r.SetRates(inputRate, AudioFrames.WorkingRate);
        return r;
    }

    private void Resample(ReadOnlySpan<float> samples)
    {
        var outMax = (int)((long)samples.Length * AudioFrames.WorkingRate / _inputRate) + 64;
        var output = System.Buffers.ArrayPool<float>.Shared.Rent(outMax);
        try
        {
            var wanted = _resampler!.ResamplePrepare(samples.Length, 1, out Span<float> input);
            samples[..Math.Min(wanted, samples.Length)].CopyTo(input);
            var produced = _resampler.ResampleOut(output.AsSpan(0, outMax), samples.Length, outMax, 1);
            Push(output.AsSpan(0, produced));
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(output);
        }
    }

    private void Decimate(ReadOnlySpan<float> samples)
    {
        var output = System.Buffers.ArrayPool<float>.Shared.Rent(samples.Length / _decimator!.Factor + 2);
        try
        {
            var produced = _decimator.Process(samples, output);
            Push(output.AsSpan(0, produced));
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(output);
        }
    }

    private void Push(ReadOnlySpan<float> samples)
    {
        if (_skip > 0)
        {
            var drop = Math.Min(_skip, samples.Length);
            _skip -= drop;
            samples = samples[drop..];
        }
        if (_count + samples.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + samples.Length));
        samples.CopyTo(_buffer.AsSpan(_count));
        _count += samples.Length;
    }

    private void Emit(bool final)
    {
        var pos = 0;
        var need = final ? AudioFrames.FrameSamples : AudioFrames.PitchSpan;
        while (_count - pos >= need)
        {
            var frame = _buffer.AsSpan(pos, AudioFrames.FrameSamples);
            var db = Energy(frame);
            var span = _buffer.AsSpan(pos, Math.Min(AudioFrames.PitchSpan, _count - pos));
            var f0 = db > PitchEstimator.GateDb ? _pitch.Estimate(span) : 0f;
            track.Set(_bufferFrame, db, f0);
            _bufferFrame++;
            pos += AudioFrames.FrameSamples;
        }
        if (pos > 0)
        {
            _buffer.AsSpan(pos, _count - pos).CopyTo(_buffer);
            _count -= pos;
        }
    }

    /// <summary>Mean power of <paramref name="frame"/> in dBFS (a full-scale square wave is 0 dBFS).</summary>
    // The per-frame kernels (this, the pitch search, the decimator) are compiled optimized at their first call: left to
    // tiered compilation they ran as unoptimized tier-0 code (Vector<T> operations as calls) for the first ~10 s of a
    // pipeline run on the loaded machine, 12-23 times slower per chunk (BENCHMARKS.md, "Audio").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Energy(ReadOnlySpan<float> frame)
    {
        var sum = 0f;
        var i = 0;
        if (Vector.IsHardwareAccelerated && frame.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            var v = MemoryMarshal.Cast<float, Vector<float>>(frame);
            foreach (var x in v) acc += x * x;
            sum = Vector.Sum(acc);
            i = v.Length * Vector<float>.Count;
        }
        for (; i < frame.Length; i++) sum += frame[i] * frame[i];
        var power = sum / Math.Max(1, frame.Length);
        return power <= 1e-12f ? AudioFrames.SilenceDb : MathF.Max(AudioFrames.SilenceDb, 10f * MathF.Log10(power));
    }
}

/// <summary>
/// Pitch by the YIN method (de Cheveigné and Kawahara, 2002): the cumulative mean normalized difference of one 20 ms
/// frame against itself shifted by each candidate period; the first dip below <see cref="Threshold"/> is the period,
/// refined by a parabola. Written here with SIMD sums rather than taken from NWaves: NWaves' <c>Pitch.FromYin</c> gives
/// the same answers (the tests compare them) but took 339 µs a frame on this machine (it allocates per call), which
/// alone caps a channel at about 60x real time; this one takes a few µs.
/// </summary>
public sealed class PitchEstimator
{
    /// <summary>Frames quieter than this (dBFS) are not searched for pitch.</summary>
    public const float GateDb = -50f;
    /// <summary>The CMNDF dip that counts as periodic.</summary>
    public const float Threshold = 0.2f;

    private readonly float[] _d = new float[AudioFrames.WorkingRate / (int)AudioFrames.MinPitchHz + 2];

    /// <summary>Pitch of the frame at the start of <paramref name="span"/> in Hz, or 0 when it is not periodic in 60-400 Hz.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Estimate(ReadOnlySpan<float> span)
    {
        var w = AudioFrames.FrameSamples;
        var minLag = (int)(AudioFrames.WorkingRate / AudioFrames.MaxPitchHz);
        var maxLag = Math.Min(AudioFrames.WorkingRate / (int)AudioFrames.MinPitchHz, span.Length - w);
        if (maxLag <= minLag + 2) return 0f;
        var x = span[..w];
        _d[0] = 1f;
        var running = 0f;
        for (var lag = 1; lag <= maxLag; lag++)
        {
            var d = Difference(x, span.Slice(lag, w));
            running += d;
            _d[lag] = running <= 0 ? 1f : d * lag / running;
        }
        for (var lag = minLag; lag <= maxLag; lag++)
        {
            if (_d[lag] >= Threshold) continue;
            while (lag + 1 <= maxLag && _d[lag + 1] < _d[lag]) lag++;
            var period = (float)lag;
            if (lag > 1 && lag < maxLag)
            {
                var a = _d[lag - 1];
                var b = _d[lag];
                var c = _d[lag + 1];
                var den = a - 2 * b + c;
                if (den > 1e-9f) period += 0.5f * (a - c) / den;
            }
            var hz = AudioFrames.WorkingRate / period;
            return hz is >= AudioFrames.MinPitchHz and <= AudioFrames.MaxPitchHz ? hz : 0f;
        }
        return 0f;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Difference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            var n = a.Length - a.Length % Vector<float>.Count;
            for (; i < n; i += Vector<float>.Count)
            {
                var d = new Vector<float>(a.Slice(i)) - new Vector<float>(b.Slice(i));
                acc += d * d;
            }
            sum = Vector.Sum(acc);
        }
        for (; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}

/// <summary>
/// Down-sampling by a whole factor: a windowed-sinc low-pass FIR (cut-off 3.6 kHz, Hamming window, 16 taps per factor)
/// evaluated only at the kept samples, with the last input samples carried across chunks so that a stream cut into
/// chunks gives the same output as in one piece.
/// </summary>
internal sealed class Decimator
{
    private readonly float[] _taps;
    private readonly float[] _history;
    private float[] _work = [];
    private int _phase;

    public Decimator(int factor)
    {
        Factor = factor;
        var n = 16 * factor + 1;
        _taps = new float[n];
        var cutoff = 3600.0 / (AudioFrames.WorkingRate * factor); // cycles per input sample
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var m = i - (n - 1) / 2.0;
            var sinc = m == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * m) / (Math.PI * m);
            var window = 0.54 - 0.46 * Math.Cos(2 * Math.PI * i / (n - 1));
            _taps[i] = (float)(sinc * window);
            sum += _taps[i];
        }
        for (var i = 0; i < n; i++) _taps[i] = (float)(_taps[i] / sum);
        _history = new float[n - 1];
    }

    public int Factor { get; }

    /// <summary>Filters and keeps every Factor-th sample; returns how many were written to <paramref name="output"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        var h = _history.Length;
        if (_work.Length < h + input.Length) _work = new float[h + input.Length];
        _history.CopyTo(_work, 0);
        input.CopyTo(_work.AsSpan(h));
        var total = h + input.Length;
        var produced = 0;
        var taps = _taps.AsSpan();
        // Output sample at input position p (p counted in the new samples) uses work[p .. p + h].
        var p = _phase;
        for (; p < input.Length; p += Factor)
        {
            var window = _work.AsSpan(p, taps.Length);
            var acc = 0f;
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var v = Vector<float>.Zero;
                var end = taps.Length - taps.Length % Vector<float>.Count;
                for (; i < end; i += Vector<float>.Count) v += new Vector<float>(window.Slice(i)) * new Vector<float>(taps.Slice(i));
                acc = Vector.Sum(v);
            }
            for (; i < taps.Length; i++) acc += window[i] * taps[i];
            output[produced++] = acc;
        }
        _phase = p - input.Length;
        _work.AsSpan(total - h, h).CopyTo(_history);
        return produced;
    }
}
