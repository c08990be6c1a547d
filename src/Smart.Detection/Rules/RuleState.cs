namespace Smart.Detection.Rules;

/// <summary>The small per-device memory the layer-1 rules need: persistence counters, a short history of the one
/// metric whose rate of rise a rule watches (temperature of a fire detector or a charger port, water height in a
/// manhole), the CO dose, and when charging started. Bounded: ≤ 32 samples, a few counters.</summary>
internal sealed class RuleState
{
    private const int HistoryCapacity = 32;
    private readonly Dictionary<string, int> _consecutive = new(StringComparer.Ordinal);
    private readonly long[] _trendTs = new long[HistoryCapacity];
    private readonly double[] _trend = new double[HistoryCapacity];
    private int _trendCount, _trendHead;

    public double CoDose { get; set; }
    public long CoLastMs { get; set; } = long.MinValue;
    public long ChargeStartMs { get; set; } = long.MinValue;

    /// <summary>Counts consecutive readings on which <paramref name="condition"/> held; 0 when it does not.</summary>
    public int Consecutive(string key, bool condition)
    {
        var n = condition ? _consecutive.GetValueOrDefault(key) + 1 : 0;
        if (n == 0) _consecutive.Remove(key); else _consecutive[key] = n;
        return n;
    }

    /// <summary>Appends a sample of the watched metric (see <see cref="MaxRise"/>).</summary>
    public void AddTrend(long tsMs, double value)
    {
        _trendTs[_trendHead] = tsMs;
        _trend[_trendHead] = value;
        _trendHead = (_trendHead + 1) % HistoryCapacity;
        _trendCount = Math.Min(_trendCount + 1, HistoryCapacity);
    }

    /// <summary>The steepest rise (units per minute) to the latest sample from an earlier one within [minSpan, window] that is
    /// at least <paramref name="minDelta"/> lower; 0 when there is no such sample.</summary>
    public double MaxRise(long minSpanMs, long windowMs, double minDelta = 0)
    {
        if (_trendCount < 2) return 0;
        var last = (_trendHead - 1 + HistoryCapacity) % HistoryCapacity;
        double bestRate = 0;
        for (var k = 1; k < _trendCount; k++)
        {
            var i = (last - k + HistoryCapacity) % HistoryCapacity;
            var span = _trendTs[last] - _trendTs[i];
            if (span > windowMs) break;
            if (span < minSpanMs) continue;
            var delta = _trend[last] - _trend[i];
            if (delta < minDelta) continue;
            bestRate = Math.Max(bestRate, delta / (span / 60_000.0));
        }
        return bestRate;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(CoDose); w.Write(CoLastMs); w.Write(ChargeStartMs);
        w.Write(_consecutive.Count);
        foreach (var (k, v) in _consecutive) { w.Write(k); w.Write(v); }
        w.Write(_trendCount); w.Write(_trendHead);
        for (var i = 0; i < HistoryCapacity; i++) { w.Write(_trendTs[i]); w.Write(_trend[i]); }
    }

    public void Read(BinaryReader r)
    {
        CoDose = r.ReadDouble(); CoLastMs = r.ReadInt64(); ChargeStartMs = r.ReadInt64();
        _consecutive.Clear();
        for (int i = 0, n = r.ReadInt32(); i < n; i++) _consecutive[r.ReadString()] = r.ReadInt32();
        _trendCount = r.ReadInt32(); _trendHead = r.ReadInt32();
        for (var i = 0; i < HistoryCapacity; i++) { _trendTs[i] = r.ReadInt64(); _trend[i] = r.ReadDouble(); }
    }
}
