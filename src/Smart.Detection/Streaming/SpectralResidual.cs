namespace Smart.Detection.Streaming;

/// <summary>Spectral Residual saliency (Hou &amp; Zhang, CVPR 2007; Ren et al., "Time-Series Anomaly Detection
/// Service at Microsoft", KDD 2019) over a sliding window, scored at the newest point only (no look-ahead).
/// The window is the last <c>N − Extend</c> values plus <c>Extend</c> extrapolated ones, so the newest real point
/// is not at the window edge (Ren et al. §4.2). State: the window ring and a ring of recent saliencies.</summary>
internal sealed class SpectralResidual
{
    public const int N = 32;
    private const int Extend = 5;
    private const int Real = N - Extend;
    private const int SmoothQ = 3;
    private const int SaliencyHistory = 21;
    private const int Gradients = 5;

    private readonly double[] _ring = new double[Real];
    private int _head, _count;
    private readonly double[] _saliency = new double[SaliencyHistory];
    private int _sHead, _sCount;

    public static bool LocalMean { get; set; } = true;

    [ThreadStatic] private static double[]? t_re, t_im, t_logAmp;

    /// <summary>Relative saliency of the newest point: (S − mean of recent S) / mean of recent S; 0 until the window is full.</summary>
    public double Update(double x)
    {
        _ring[_head] = x;
        _head = (_head + 1) % Real;
        if (_count < Real) { _count++; if (_count < Real) return 0; }
        var s = SaliencyOfNewest(out var spread);
        if (LocalMean) return _count < Real || spread <= 1e-12 ? 0 : s / spread - 1;
        double mean = 0;
        for (var i = 0; i < _sCount; i++) mean += _saliency[i];
        mean = _sCount > 0 ? mean / _sCount : 0;
        _saliency[_sHead] = s;
        _sHead = (_sHead + 1) % SaliencyHistory;
        if (_sCount < SaliencyHistory) _sCount++;
        // The paper divides by the mean saliency alone; on clean periodic signals that mean is tiny and the ratio
        // explodes, so the denominator is floored at a tenth of the window's mean absolute deviation.
        var denominator = Math.Max(mean, 0.1 * spread);
        return _sCount < SaliencyHistory || denominator <= 1e-12 ? 0 : (s - mean) / denominator;
    }

    private double SaliencyOfNewest(out double spread)
    {
        var re = t_re ??= new double[N];
        var im = t_im ??= new double[N];
        var logAmp = t_logAmp ??= new double[N];
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
        Fft.Transform(re, im, inverse: false);
        for (var i = 0; i < N; i++) logAmp[i] = Math.Log(Math.Max(Math.Sqrt(re[i] * re[i] + im[i] * im[i]), 1e-12));
        for (var i = 0; i < N; i++)
        {
            double avg = 0;
            for (var j = -SmoothQ / 2; j <= SmoothQ / 2; j++) avg += logAmp[(i + j + N) % N];
            avg /= SmoothQ;
            var amp = Math.Sqrt(re[i] * re[i] + im[i] * im[i]);
            var scale = amp < 1e-12 ? 0 : Math.Exp(logAmp[i] - avg) / amp;
            re[i] *= scale; im[i] *= scale;
        }
        Fft.Transform(re, im, inverse: true);
        var k = Real - 1;
        if (LocalMean)
        {
            double m = 0;
            for (var i = 0; i < Real - 1; i++) m += Math.Sqrt(re[i] * re[i] + im[i] * im[i]);
            spread = Math.Max(m / (Real - 1), 0.1 * spread);
        }
        return Math.Sqrt(re[k] * re[k] + im[k] * im[k]);
    }

    public void Write(BinaryWriter w)
    {
        w.Write(_head); w.Write(_count); w.Write(_sHead); w.Write(_sCount);
        foreach (var v in _ring) w.Write(v);
        foreach (var v in _saliency) w.Write(v);
    }

    public void Read(BinaryReader r)
    {
        _head = r.ReadInt32(); _count = r.ReadInt32(); _sHead = r.ReadInt32(); _sCount = r.ReadInt32();
        for (var i = 0; i < Real; i++) _ring[i] = r.ReadDouble();
        for (var i = 0; i < SaliencyHistory; i++) _saliency[i] = r.ReadDouble();
    }
}
