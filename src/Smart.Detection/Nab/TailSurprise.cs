namespace Smart.Detection.Nab;

/// <summary>How rare a value of one surprise signal is against that signal's own past on this series, as
/// −log10 of its estimated upper-tail probability; used to put differently scaled surprises on one footing before
/// they are combined. The past is a fading histogram (bins on log2(1 + x/unit), a quarter octave wide, memory fading with
/// a half-life). Beyond the top <see cref="TailShare"/> of the mass the tail is modelled as exponential, its scale the
/// fading mean excess over that level (peaks over a threshold, as in extreme-value detectors such as SPOT): a value far
/// above anything seen still ranks by how far, in units of the signal's usual excess.
/// No look-ahead: <see cref="Surprise"/> reads the past only; <see cref="Learn"/> adds the value afterwards.
/// State: 2 × <see cref="Bins"/> doubles.</summary>
internal sealed class TailSurprise
{
    public const int Bins = 128;
    private const double Rescale = 1e150;

    private readonly double _unit, _growth, _tailShare;
    private readonly double[] _weight = new double[Bins], _sum = new double[Bins];
    private double _total, _step = 1;

    /// <param name="unit">Scale of the signal (values much below it share the first bins).</param>
    /// <param name="halfLife">Rows after which a past value counts half.</param>
    /// <param name="tailShare">Share of the mass above which the exponential tail model takes over.</param>
    public TailSurprise(double unit, double halfLife, double tailShare)
    {
        _unit = unit;
        _growth = Math.Exp(Math.Log(2) / halfLife);
        _tailShare = tailShare;
    }

    public double TailShare => _tailShare;

    private int Bin(double x) => x <= 0 ? 0 : Math.Min(Bins - 1, (int)(4 * Math.Log2(1 + x / _unit)));

    /// <summary>−log10 P(X ≥ x) under the past (0 before anything was learned).</summary>
    public double Surprise(double x)
    {
        if (_total <= 0) return 0;
        var b = Bin(x);
        // Upper tail from the top down to the tail level.
        double above = 0, excess = 0;
        var level = Bins;
        for (var k = Bins - 1; k >= 0 && above < _tailShare * _total; k--)
        {
            if (_weight[k] <= 0) continue;
            above += _weight[k];
            excess += _sum[k];
            level = k;
        }
        if (b >= level && above > 0)
        {
            var u = _sum[level] / _weight[level];
            var scale = Math.Max(excess / above - u, _unit);
            var p = above / _total;
            var over = Math.Max(0, x - u);
            return -Math.Log10(p) + over / scale / Math.Log(10);
        }
        double tail = 0.5 * _weight[b];
        for (var k = b + 1; k < Bins; k++) tail += _weight[k];
        return -Math.Log10(Math.Max(tail, 1e-300) / _total);
    }

    /// <summary>Adds a value, weighted above every earlier one by the fading factor.</summary>
    public void Learn(double x)
    {
        var b = Bin(x);
        _weight[b] += _step;
        _sum[b] += _step * x;
        _total += _step;
        _step *= _growth;
        if (_step < Rescale) return;
        for (var k = 0; k < Bins; k++) { _weight[k] /= _step; _sum[k] /= _step; }
        _total /= _step;
        _step = 1;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(_total); w.Write(_step);
        for (var k = 0; k < Bins; k++) { w.Write(_weight[k]); w.Write(_sum[k]); }
    }

    public void Read(BinaryReader r)
    {
        (_total, _step) = (r.ReadDouble(), r.ReadDouble());
        for (var k = 0; k < Bins; k++) (_weight[k], _sum[k]) = (r.ReadDouble(), r.ReadDouble());
    }
}
