namespace Smart.Detection.Streaming;

/// <summary>Anomaly likelihood (Ahmad, Lavin, Purdy, Agha, "Unsupervised real-time anomaly detection for streaming
/// data", Neurocomputing 2017, §3.3): how unusual the recent average of a raw score is against the raw score's own
/// long-run distribution. It turns "this detector is often noisy here" into low scores and a change in the
/// detector's behaviour into high ones. Long run: exponentially weighted mean/variance; short run: the last
/// <see cref="ShortWindow"/> raw scores.</summary>
internal sealed class AnomalyLikelihood
{
    public const int ShortWindow = 10;
    private readonly double[] _short = new double[ShortWindow];
    private int _head, _count;
    private double _mean, _var;
    private long _n;
    private readonly double _alpha;
    private readonly int _warmup;

    public AnomalyLikelihood(int longWindow = 2000, int warmup = 300)
    {
        _alpha = 2.0 / (longWindow + 1);
        _warmup = warmup;
    }

    /// <summary>Returns the likelihood in [0,1] (0.5 while warming up) and then learns <paramref name="raw"/>.</summary>
    public double Update(double raw)
    {
        _short[_head] = raw;
        _head = (_head + 1) % ShortWindow;
        if (_count < ShortWindow) _count++;
        double shortMean = 0;
        for (var i = 0; i < _count; i++) shortMean += _short[i];
        shortMean /= _count;
        var likelihood = 0.5;
        if (_n >= _warmup)
        {
            var sd = Math.Max(Math.Sqrt(_var), 1e-4 + 0.05 * Math.Abs(_mean));
            likelihood = 1 - 0.5 * MathNet.Numerics.SpecialFunctions.Erfc((shortMean - _mean) / sd / Math.Sqrt(2));
        }
        _n++;
        var a = Math.Max(_alpha, 1.0 / _n);
        var d = raw - _mean;
        _mean += a * d;
        _var = (1 - a) * (_var + a * d * d);
        return likelihood;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(_head); w.Write(_count); w.Write(_mean); w.Write(_var); w.Write(_n);
        foreach (var v in _short) w.Write(v);
    }

    public void Read(BinaryReader r)
    {
        _head = r.ReadInt32(); _count = r.ReadInt32(); _mean = r.ReadDouble(); _var = r.ReadDouble(); _n = r.ReadInt64();
        for (var i = 0; i < ShortWindow; i++) _short[i] = r.ReadDouble();
    }
}
