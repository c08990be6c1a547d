namespace Smart.Detection.Rules;

/// <summary>The small per-device memory the layer-1 rules need: persistence counters, a short history of the one
/// metric whose rate of rise a rule watches (temperature of a fire detector or a charger port, water height in a
/// manhole), the CO dose, and when charging started. Bounded: ≤ 32 samples, a few counters.</summary>
internal sealed class RuleState
{
    private const int HistoryCapacity = 32;
    private readonly Dictionary<string, int> _consecutive = new(StringComparer.Ordinal);
    private readonly long[] _tempTs = new long[HistoryCapacity];
    private readonly double[] _temp = new double[HistoryCapacity];
    private int _tempCount, _tempHead;

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
        _tempTs[_tempHead] = tsMs;
        _temp[_tempHead] = value;
        _tempHead = (_tempHead + 1) % HistoryCapacity;
        _tempCount = Math.Min(_tempCount + 1, HistoryCapacity);
    }

    /// <summary>The steepest rise (units per minute) to the latest sample from an earlier one within [minSpan, window] that is
    /// at least <paramref name="minDelta"/> lower; 0 when there is no such sample.</summary>
    public double MaxRise(long minSpanMs, long windowMs, double minDelta = 0)
    {
        if (_tempCount < 2) return 0;
        var last = (_tempHead - 1 + HistoryCapacity) % HistoryCapacity;
        double bestRate = 0;
        for (var k = 1; k < _tempCount; k++)
        {
            var i = (last - k + HistoryCapacity) % HistoryCapacity;
            var span = _tempTs[last] - _tempTs[i];
            if (span > windowMs) break;
            if (span < minSpanMs) continue;
            var delta = _temp[last] - _temp[i];
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
        w.Write(_tempCount); w.Write(_tempHead);
        for (var i = 0; i < HistoryCapacity; i++) { w.Write(_tempTs[i]); w.Write(_temp[i]); }
    }

    public void Read(BinaryReader r)
    {
        CoDose = r.ReadDouble(); CoLastMs = r.ReadInt64(); ChargeStartMs = r.ReadInt64();
        _consecutive.Clear();
        for (int i = 0, n = r.ReadInt32(); i < n; i++) _consecutive[r.ReadString()] = r.ReadInt32();
        _tempCount = r.ReadInt32(); _tempHead = r.ReadInt32();
        for (var i = 0; i < HistoryCapacity; i++) { _tempTs[i] = r.ReadInt64(); _temp[i] = r.ReadDouble(); }
    }
}
