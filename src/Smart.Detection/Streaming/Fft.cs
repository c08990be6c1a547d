using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Smart.Detection.Streaming;

/// <summary>In-place iterative radix-2 FFT of one fixed power-of-two size, for the small windows of
/// <see cref="SpectralResidual"/>: the bit-reversal swaps and each stage's twiddle factors are tables built once, so a
/// transform does no trigonometry, no index arithmetic beyond the butterflies and allocates nothing (MathNet's FFT
/// allocates per call, too costly per reading).</summary>
internal sealed class Fft
{
    private readonly int _n;
    private readonly double _scale;             // 1/n: a power of two, so x·(1/n) is exactly x/n
    private readonly int[] _swaps;              // bit-reversal pairs (i, partner) with i < partner, flattened
    // Twiddles stage by stage: stage with half-length h holds e^{∓2πik/(2h)} for k < h at offset h − 1.
    private readonly double[] _cos, _sin, _sinInverse;

    public Fft(int n)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(n), n, "The size must be a power of two ≥ 2.");
        (_n, _scale) = (n, 1.0 / n);
        var swaps = new List<int>();
        for (int i = 0, j = 0; i < n; i++)
        {
            if (i < j) swaps.AddRange([i, j]);
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
        }
        _swaps = [.. swaps];
        _cos = new double[n - 1];
        _sin = new double[n - 1];
        _sinInverse = new double[n - 1];
        for (var half = 1; half < n; half <<= 1)
        {
            var step = n / (2 * half);
            for (var k = 0; k < half; k++)
            {
                // The angle of the n-point table at k·step, as the per-call loop computed it.
                _cos[half - 1 + k] = Math.Cos(2 * Math.PI * (k * step) / n);
                _sin[half - 1 + k] = -Math.Sin(2 * Math.PI * (k * step) / n);
                _sinInverse[half - 1 + k] = -_sin[half - 1 + k];
            }
        }
    }

    public void Transform(double[] re, double[] im, bool inverse)
    {
        var n = _n;
        if (re.Length < n || im.Length < n) throw new ArgumentException($"Both arrays need {n} elements.");
        ref var r = ref MemoryMarshal.GetArrayDataReference(re);
        ref var m = ref MemoryMarshal.GetArrayDataReference(im);
        for (var s = 0; s < _swaps.Length; s += 2)
        {
            int i = _swaps[s], j = _swaps[s + 1];
            (Unsafe.Add(ref r, i), Unsafe.Add(ref r, j)) = (Unsafe.Add(ref r, j), Unsafe.Add(ref r, i));
            (Unsafe.Add(ref m, i), Unsafe.Add(ref m, j)) = (Unsafe.Add(ref m, j), Unsafe.Add(ref m, i));
        }
        ref var wc = ref MemoryMarshal.GetArrayDataReference(_cos);
        ref var ws = ref MemoryMarshal.GetArrayDataReference(inverse ? _sinInverse : _sin);
        for (var half = 1; half < n; half <<= 1)
        {
            ref var sc = ref Unsafe.Add(ref wc, half - 1);
            ref var ss = ref Unsafe.Add(ref ws, half - 1);
            for (var i = 0; i < n; i += 2 * half)
            {
                for (var k = 0; k < half; k++)
                {
                    double cr = Unsafe.Add(ref sc, k), ci = Unsafe.Add(ref ss, k);
                    ref var ra = ref Unsafe.Add(ref r, i + k);
                    ref var ia = ref Unsafe.Add(ref m, i + k);
                    ref var rb = ref Unsafe.Add(ref r, i + k + half);
                    ref var ib = ref Unsafe.Add(ref m, i + k + half);
                    var tr = rb * cr - ib * ci;
                    var ti = rb * ci + ib * cr;
                    rb = ra - tr; ib = ia - ti;
                    ra += tr; ia += ti;
                }
            }
        }
        if (!inverse) return;
        for (var i = 0; i < n; i++) { Unsafe.Add(ref r, i) *= _scale; Unsafe.Add(ref m, i) *= _scale; }
    }
}
