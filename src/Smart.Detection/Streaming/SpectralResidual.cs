using System.Runtime.CompilerServices;

namespace Smart.Detection.Streaming;

/// <summary>Spectral Residual saliency (Hou &amp; Zhang, CVPR 2007; Ren et al., "Time-Series Anomaly Detection
/// Service at Microsoft", KDD 2019) over a sliding window, scored at the newest point only (no look-ahead).
/// The window is the last <c>N − Extend</c> values plus <c>Extend</c> extrapolated ones, so the newest real point
/// is not at the window edge (Ren et al. §4.2). State: the window ring (27 values).</summary>
/// <remarks>A struct with its ring inline, kept by value in <see cref="MetricDetector"/> (one object per metric: fewer
/// dependent cache misses when many devices' state is not in cache).</remarks>
internal struct SpectralResidual
{
    public const int N = 32;
    private const int Extend = 5;
    private const int Real = N - Extend;
    private const int Gradients = 5;

    [InlineArray(Real)]
    private struct Window
    {
        private double _first;
    }

    private Window _ring;
    private int _head, _count;

    private const int Bins = N / 2 + 1; // a real window's spectrum: bin N−k is the conjugate of bin k
    private static readonly RealFft Spectrum = new(N);

    /// <summary>One thread's working arrays (one thread-static read per reading instead of one per array).</summary>
    private sealed class Scratch
    {
        public readonly double[] X = new double[N], Re = new double[Bins], Im = new double[Bins], Amp = new double[Bins];
        public readonly double[] Zr = new double[N / 2], Zi = new double[N / 2];
    }

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>Relative saliency of the newest point, S / (mean S of the window) − 1; 0 until the window is full.</summary>
    public double Update(double x)
    {
        _ring[_head] = x;
        _head = (_head + 1) % Real;
        if (_count < Real) { _count++; if (_count < Real) return 0; }
        var s = SaliencyOfNewest(out var spread);
        // Relative to the mean saliency of the same window (the paper averages the newest points' saliencies over
        // time; at the window's edge that average swings with the phase of periodic signals).
        return _count < Real || spread <= 1e-12 ? 0 : s / spread - 1;
    }

    private readonly double SaliencyOfNewest(out double spread)
    {
        var t = t_scratch ??= new Scratch();
        var (x, re, im, amp, zr, zi) = (t.X, t.Re, t.Im, t.Amp, t.Zr, t.Zi);
        // The window oldest first: the ring from the head on, then its start.
        ReadOnlySpan<double> ring = _ring;
        ring[_head..].CopyTo(x);
        ring[.._head].CopyTo(x.AsSpan(Real - _head));
        double sum = 0;
        for (var i = 0; i < Real; i++) sum += x[i];
        var mean = sum / Real;
        spread = 0;
        for (var i = 0; i < Real; i++) spread += Math.Abs(x[i] - mean);
        spread /= Real;
        // Ren et al. extend with x_{n-m+1} + m·(mean gradient to x_n); a spike at x_n then extrapolates into a
        // plateau and is no longer salient. We extend the trend of the points *before* x_n instead, so the newest
        // point stands out when it breaks that trend.
        var before = x[Real - 2];
        var next = before + (before - x[Real - 1 - Gradients]) / (Gradients - 1);
        for (var i = Real; i < N; i++) x[i] = next;
        Spectrum.Forward(x, re, im, zr, zi);
        for (var k = 0; k < Bins; k++) amp[k] = Math.Max(Math.Sqrt(re[k] * re[k] + im[k] * im[k]), 1e-12);
        // exp(log a_k − mean of log a over k−1..k+1) / a_k = 1 / ∛(a_{k−1}·a_k·a_{k+1}): the spectral residual with a
        // 3-bin average filter (q = 3) without a log and an exp per bin. Bin 0's left neighbour is bin N−1 = conj(bin 1),
        // bin N/2's right neighbour is bin N/2+1 = conj(bin N/2−1); conjugate bins scale alike, so only 0…N/2 are kept.
        for (var k = 0; k < Bins; k++)
        {
            var left = amp[k == 0 ? 1 : k - 1];
            var right = amp[k == Bins - 1 ? k - 1 : k + 1];
            var scale = amp[k] <= 1e-12 ? 0 : 1.0 / Math.Cbrt(left * amp[k] * right);
            re[k] *= scale; im[k] *= scale;
        }
        Spectrum.Inverse(re, im, x, zr, zi);
        double m = 0;
        for (var i = 0; i < Real - 1; i++) m += Math.Abs(x[i]);
        spread = Math.Max(m / (Real - 1), 0.1 * spread);
        return Math.Abs(x[Real - 1]);
    }

    public readonly void Write(BinaryWriter w)
    {
        w.Write(_head); w.Write(_count);
        foreach (var v in _ring) w.Write(v);
    }

    public void Read(BinaryReader r)
    {
        _head = r.ReadInt32(); _count = r.ReadInt32();
        for (var i = 0; i < Real; i++) _ring[i] = r.ReadDouble();
    }
}
