namespace Smart.Detection.Streaming;

/// <summary>Daily profile: one robust baseline per hour of day (UTC), trusted once a bucket has seen
/// <see cref="MinDays"/> different days. Captures diurnal temperature, traffic and load. 24 × 32 bytes.</summary>
internal sealed class SeasonalProfile
{
    public const int Buckets = 24;
    public const int MinDays = 2;
    private const long HourMs = 3_600_000;
    private readonly RobustBaseline[] _bucket = new RobustBaseline[Buckets];
    private readonly int[] _lastDay = new int[Buckets];
    private readonly int[] _days = new int[Buckets];

    /// <summary>Standardised residual against this hour's profile and the expected value; (0, NaN) until trusted.</summary>
    public (double Z, double Expected) Update(long tsMs, double x, double alpha)
    {
        var b = (int)(((tsMs / HourMs) % Buckets + Buckets) % Buckets);
        var day = (int)Math.Floor(tsMs / (24.0 * HourMs));
        if (_days[b] == 0 || day != _lastDay[b]) { _days[b]++; _lastDay[b] = day; }
        var trusted = _days[b] > MinDays;
        var expected = _bucket[b].Mean;
        var z = _bucket[b].Update(x, alpha, warmup: 3);
        return trusted ? (z, expected) : (0, double.NaN);
    }

    public void Write(BinaryWriter w)
    {
        for (var i = 0; i < Buckets; i++) { _bucket[i].Write(w); w.Write(_lastDay[i]); w.Write(_days[i]); }
    }

    public void Read(BinaryReader r)
    {
        for (var i = 0; i < Buckets; i++) { _bucket[i].Read(r); _lastDay[i] = r.ReadInt32(); _days[i] = r.ReadInt32(); }
    }
}
