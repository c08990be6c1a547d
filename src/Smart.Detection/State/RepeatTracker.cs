namespace Smart.Detection.State;

/// <summary>
/// Stuck-at detection by exact repetition, per metric and channel. A sensor front end that freezes (failed ADC, hung
/// firmware task) repeats its last value digit for digit, while a live sensor's noise makes exact repeats rare. How
/// rare is learned, not assumed: <see cref="RepeatShare"/> is the share of readings equal to the one before, counted
/// over completed runs in the current operating state (a charger port at float reports 2.0 W again and again — that
/// is its normal — and starts afresh when it reports another <c>state</c>). A live sensor repeats k times in a row
/// with probability ≈ share^k, so a run is stuck when that falls below <see cref="StatisticalOptions.StuckRunProbability"/>
/// after at least <see cref="StatisticalOptions.StuckMinMs"/>, and the metric has
/// <see cref="StatisticalOptions.StuckWarmupReadings"/> readings of history in this state with a share of at most
/// <see cref="StatisticalOptions.StuckMaxRepeatShare"/> (metrics that mostly repeat — flags, a battery level in
/// 0.1 % steps, a value clamped at zero — cannot be judged this way). 40 bytes per metric.
/// </summary>
/// <remarks>A struct kept by value in its <see cref="MetricSlot"/>; create it with <c>new()</c> (the default has no NaN).</remarks>
internal struct RepeatTracker
{
    /// <summary>Counts are halved past this, so the share follows a sensor that ages.</summary>
    private const int MaxComparisons = 4096;

    private double _last = double.NaN;
    private string? _regime;
    private int _run, _repeats, _comparisons;
    private long _runStartMs;

    public RepeatTracker() { }

    /// <summary>Repeats of the current value so far (readings after its first).</summary>
    public readonly int Run => _run;
    public readonly long RunStartMs => _runStartMs;
    /// <summary>Share of readings equal to the previous one over completed runs (Laplace-smoothed).</summary>
    public readonly double RepeatShare => (_repeats + 1.0) / (_comparisons + 2.0);

    /// <summary>Adds a reading; returns whether the metric is stuck now.</summary>
    /// <param name="regime">The device's operating state (charger <c>state</c>), null when it has none.</param>
    public bool Update(long tsMs, double value, string? regime, StatisticalOptions o)
    {
        if (!string.Equals(regime, _regime, StringComparison.Ordinal))
        {
            _regime = regime;
            _repeats = _comparisons = 0;
            _last = double.NaN;
        }
        if (value == _last)
        {
            _run++;
        }
        else
        {
            if (!double.IsNaN(_last)) Complete();
            _last = value;
            _run = 0;
            _runStartMs = tsMs;
        }
        return _run > 0 && _comparisons >= o.StuckWarmupReadings && RepeatShare <= o.StuckMaxRepeatShare
            && tsMs - _runStartMs >= o.StuckMinMs && Math.Pow(RepeatShare, _run) <= o.StuckRunProbability;
    }

    private void Complete()
    {
        _repeats += _run;
        _comparisons += _run + 1;
        if (_comparisons <= MaxComparisons) return;
        _repeats /= 2;
        _comparisons /= 2;
    }

    public readonly void Write(BinaryWriter w)
    {
        w.Write(_last); w.Write(_regime is not null); w.Write(_regime ?? "");
        w.Write(_run); w.Write(_repeats); w.Write(_comparisons); w.Write(_runStartMs);
    }

    public static RepeatTracker Read(BinaryReader r)
    {
        var t = new RepeatTracker { _last = r.ReadDouble() };
        var hasRegime = r.ReadBoolean();
        var regime = r.ReadString();
        t._regime = hasRegime ? regime : null;
        t._run = r.ReadInt32(); t._repeats = r.ReadInt32(); t._comparisons = r.ReadInt32(); t._runStartMs = r.ReadInt64();
        return t;
    }
}
