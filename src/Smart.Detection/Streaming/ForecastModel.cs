namespace Smart.Detection.Streaming;

/// <summary>Tracks how well one forecaster predicts a metric: an exponentially weighted mean absolute error with
/// Huber-style clipping so one anomaly does not inflate it. Used to pick the best model of "normal".</summary>
internal struct ForecastError
{
    public const double Alpha = 0.02;
    public double Mae;
    public long Count;

    public readonly double Sigma(double level, double resolution) => Math.Max(Math.Max(Mae * 1.2533141373155, RobustBaseline.Floor(level)), resolution);

    /// <summary>Standardised residual before learning it; NaN while fewer than <paramref name="warmup"/> errors are known.</summary>
    public double Update(double residual, double level, int warmup, double resolution)
    {
        var sigma = Sigma(level, resolution);
        var z = Count >= warmup ? residual / sigma : double.NaN;
        var a = Math.Max(Alpha, 1.0 / (Count + 1));
        var clipped = Count >= warmup ? Math.Min(Math.Abs(residual), 4 * sigma) : Math.Abs(residual);
        Mae += a * (clipped - Mae);
        Count++;
        return z;
    }

    public readonly void Write(BinaryWriter w) { w.Write(Mae); w.Write(Count); }
    public void Read(BinaryReader r) { Mae = r.ReadDouble(); Count = r.ReadInt64(); }
}
