namespace Smart.Detection.Streaming;

/// <summary>Seasonal predictor for one period (a day or a week): the period is cut into <see cref="Slots"/> slots
/// and each slot keeps an exponentially weighted mean of the values seen in it (a smoothed seasonal-naive
/// forecast, cf. Hyndman &amp; Athanasopoulos, FPP3 §5.2). Trusted after two full periods. 1 KiB (floats).</summary>
internal sealed class SeasonalSlots(long periodMs)
{
    public const int Slots = 256;
    private const double Alpha = 0.5;
    private readonly float[] _mean = CreateEmpty();
    private long _firstMs = long.MinValue;

    public long PeriodMs { get; } = periodMs;

    /// <summary>The forecast for <paramref name="tsMs"/> (NaN while untrusted), then learns <paramref name="x"/>.</summary>
    public double Update(long tsMs, double x)
    {
        if (_firstMs == long.MinValue) _firstMs = tsMs;
        var slot = (int)((tsMs % PeriodMs + PeriodMs) % PeriodMs * Slots / PeriodMs);
        var prior = _mean[slot];
        var forecast = tsMs - _firstMs >= 2 * PeriodMs && !float.IsNaN(prior) ? prior : double.NaN;
        _mean[slot] = float.IsNaN(prior) ? (float)x : (float)(prior + Alpha * (x - prior));
        return forecast;
    }

    private static float[] CreateEmpty()
    {
        var a = new float[Slots];
        Array.Fill(a, float.NaN);
        return a;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(_firstMs);
        foreach (var v in _mean) w.Write(v);
    }

    public void Read(BinaryReader r)
    {
        _firstMs = r.ReadInt64();
        for (var i = 0; i < Slots; i++) _mean[i] = r.ReadSingle();
    }
}
