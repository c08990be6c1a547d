namespace Smart.Detection.Streaming;

/// <summary>Spectral Residual saliency (Hou &amp; Zhang, CVPR 2007; Ren et al., "Time-Series Anomaly Detection
/// Service at Microsoft", KDD 2019) over a sliding window, scored at the newest point only (no look-ahead).
/// The window is the last <c>N − Extend</c> values plus <c>Extend</c> extrapolated ones, so the newest real point
/// is not at the window edge (Ren et al. §4.2). State: the window ring (27 values).</summary>
internal sealed class SpectralResidual
{
    public const int N = 32;
    private const int Extend = 5;
    private const int Real = N - Extend;
    private const int Gradients = 5;

    private readonly double[] _ring = new double[Real];
    private int _head, _count;

    private static readonly Fft Spectrum = new(N);
    [ThreadStatic] private static double[]? t_re, t_im, t_amp;

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

    private double SaliencyOfNewest(out double spread)
    {
        var re = t_re ??= new double[N];
        var im = t_im ??= new double[N];
        var amp = t_amp ??= new double[N];
        double sum = 0;
        for (var i = 0; i < Real; i++) { re[i] = _ring[(_head + i) % Real]; im[i] = 0; sum += re[i]; }
        spread = 0;
        for (var i = 0; i < Real; i++) spread += Math.Abs(re[i] - sum / Real);
        spread /= Real;
        // Ren et al. extend with x_{n-m+1} + m·(mean gradient to x_n); a spike at x_n then extrapolates into a
        // plateau and is no longer salient. We extend the trend of the points *before* x_n instead, so the newest
        // point stands out when it breaks that trend.
        var before = re[Real - 2];
        var next = before + (before - re[Real - 1 - Gradients]) / (Gradients - 1);
        for (var i = Real; i < N; i++) { re[i] = next; im[i] = 0; }
        Spectrum.Transform(re, im, inverse: false);
        for (var i = 0; i < N; i++) amp[i] = Math.Max(Math.Sqrt(re[i] * re[i] + im[i] * im[i]), 1e-12);
        // exp(log a_i − mean of log a over i−1..i+1) / a_i = 1 / ∛(a_{i−1}·a_i·a_{i+1}): the spectral residual with a
        // 3-bin average filter (q = 3) without a log and an exp per bin.
        // The input is real, so the spectrum is conjugate-symmetric: bin N−i scales like bin i.
        for (var i = 0; i <= N / 2; i++)
        {
            var scale = amp[i] <= 1e-12 ? 0 : 1.0 / Math.Cbrt(amp[(i + N - 1) % N] * amp[i] * amp[(i + 1) % N]);
            re[i] *= scale; im[i] *= scale;
            if (i == 0 || i == N / 2) continue;
            re[N - i] *= scale; im[N - i] *= scale;
        }
        Spectrum.Transform(re, im, inverse: true);
        var k = Real - 1;
        double m = 0;
        for (var i = 0; i < Real - 1; i++) m += Math.Sqrt(re[i] * re[i] + im[i] * im[i]);
        spread = Math.Max(m / (Real - 1), 0.1 * spread);
        return Math.Sqrt(re[k] * re[k] + im[k] * im[k]);
    }

    public void Write(BinaryWriter w)
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
