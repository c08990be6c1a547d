namespace Smart.Detection.Streaming;

/// <summary>Exponentially weighted level and mean absolute deviation with Huber-style clipping: an outlier moves
/// the baseline by at most <see cref="ClipSigmas"/> σ·α, so a spike does not become "normal" (robust EWMA).
/// 24 bytes of state.</summary>
internal struct RobustBaseline
{
    public const double ClipSigmas = 4.0;
    /// <summary>σ of a Gaussian = mean absolute deviation · √(π/2).</summary>
    private const double MadToSigma = 1.2533141373155;

    public double Mean;
    public double Dev;
    public long Count;

    public readonly double Sigma => Dev * MadToSigma;

    /// <summary>Standardised residual of <paramref name="x"/> against the baseline before updating it; 0 while warming up.
    /// σ is never taken below <paramref name="resolution"/> (the sensor's resolution: smaller changes are no evidence).</summary>
    public double Update(double x, double alpha, int warmup, double resolution = 0)
    {
        if (Count++ == 0) { Mean = x; Dev = 0; return 0; }
        var resid = x - Mean;
        var sigma = Math.Max(Math.Max(Sigma, Floor(Mean)), resolution);
        var z = Count > warmup ? resid / sigma : 0;
        var a = Count <= warmup ? Math.Max(alpha, 1.0 / Count) : alpha;
        var clipped = Count > warmup ? Math.Clamp(resid, -ClipSigmas * sigma, ClipSigmas * sigma) : resid;
        Mean += a * clipped;
        Dev += a * (Math.Abs(clipped) - Dev);
        return z;
    }

    /// <summary>A σ floor so that a perfectly flat signal has finite z-scores for tiny wobbles.</summary>
    public static double Floor(double level) => 1e-6 * Math.Max(1.0, Math.Abs(level));

    public readonly void Write(BinaryWriter w) { w.Write(Mean); w.Write(Dev); w.Write(Count); }
    public void Read(BinaryReader r) { Mean = r.ReadDouble(); Dev = r.ReadDouble(); Count = r.ReadInt64(); }
}
