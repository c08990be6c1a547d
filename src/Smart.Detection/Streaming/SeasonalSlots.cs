using System.Runtime.CompilerServices;

namespace Smart.Detection.Streaming;

/// <summary>Seasonal predictor for one period (a day or a week): the period is cut into <see cref="Slots"/> slots
/// and each slot keeps an exponentially weighted mean of the values seen in it (a smoothed seasonal-naive
/// forecast, cf. Hyndman &amp; Athanasopoulos, FPP3 §5.2). Trusted after two full periods. 1 KiB (floats).</summary>
/// <remarks>A struct with its slots inline, kept by value in <see cref="MetricDetector"/>: the slot a reading needs is
/// one memory access from the detector, not three (object, array, element), when 10 000 devices' state is not in cache.</remarks>
internal struct SeasonalSlots(long periodMs)
{
    public const int Slots = 256;
    private const double Alpha = 0.5;

    [InlineArray(Slots)]
    private struct Means
    {
        private float _first;
    }

    private Means _mean = CreateEmpty();
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

    private static Means CreateEmpty()
    {
        var a = new Means();
        ((Span<float>)a).Fill(float.NaN);
        return a;
    }

    public readonly void Write(BinaryWriter w)
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
