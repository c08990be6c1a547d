using FirmwareSim.Models;

namespace FirmwareSim.Firmware;

/// <summary>
/// Dense level sampling with a pre-trigger (加密上报, as flood-monitoring manhole and sewer level gauges switch to a short
/// reporting period while the level changes fast). One field — the level — is sampled every <see cref="SamplePeriodMs"/>,
/// faster than the device's other sensors; the samples stay on the device until the level moves fast toward the
/// danger. Then the device enters fast mode: it first uploads the samples it took since its last uplink (each with its
/// own <c>ts</c>, in order: all are newer than that uplink) and reports every sample while in fast mode, so the host sees
/// one dense, in-order series with the quiet stretch before the move as its baseline. The pre-trigger is deliberately
/// sensitive: a false trigger only costs a few uplinks; the decision to warn is the host's, on the dense series.
/// </summary>
/// <param name="Field">The level field, e.g. <c>water_level_cm</c>.</param>
/// <param name="Toward">+1 when the field rising is the move that matters, −1 when its falling is (the distance from a
/// manhole lid down to the water falls as the water rises).</param>
/// <param name="SamplePeriodMs">How often the level is sampled.</param>
/// <param name="Recent">Samples in the recent mean.</param>
/// <param name="Baseline">Samples in the baseline mean (the ones just before the recent ones).</param>
/// <param name="MinMove">How far the recent mean must have moved past the baseline mean to trigger, in the field's unit.</param>
/// <param name="HoldSamples">Samples fast mode lasts after the last trigger.</param>
internal sealed record DenseLevel(string Field, double Toward, long SamplePeriodMs, int Recent, int Baseline, double MinMove, int HoldSamples);

/// <summary>One device's pre-trigger state for its <see cref="DenseLevel"/>: the last Recent + Baseline level samples.</summary>
internal sealed class DenseLevelTracker(DenseLevel rule)
{
    private readonly double[] _ring = new double[rule.Recent + rule.Baseline];
    private int _count, _head, _sinceTrigger = int.MaxValue;

    /// <summary>Whether the device is in fast mode after the last sample.</summary>
    public bool Active => _sinceTrigger < rule.HoldSamples;

    /// <summary>Takes one level sample (every sample, in time order); true while in fast mode (report this sample).</summary>
    public bool Observe(double level)
    {
        _ring[_head] = level;
        _head = (_head + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
        if (_sinceTrigger < int.MaxValue) _sinceTrigger++;
        if (_count == _ring.Length)
        {
            double baseline = 0, recent = 0;
            for (var i = 0; i < rule.Baseline; i++) baseline += _ring[(_head + i) % _ring.Length];
            for (var i = rule.Baseline; i < _ring.Length; i++) recent += _ring[(_head + i) % _ring.Length];
            if (rule.Toward * (recent / rule.Recent - baseline / rule.Baseline) >= rule.MinMove) _sinceTrigger = 0;
        }
        return Active;
    }
}

/// <summary>
/// Which of a dense-sampling device's samples go up (<see cref="DenseLevel"/>): a sample is kept on the device unless
/// it is reported for another reason (<paramref name="rule"/>'s fast mode, a heartbeat, a report on change); when a
/// sample is reported in fast mode the samples kept since the last uplink go first, oldest first. A report clears what
/// was kept (it is older than that uplink). Bounded: at most <paramref name="capacity"/> samples are kept (the oldest
/// is dropped; between heartbeats a cover keeps ~33).
/// </summary>
internal sealed class DenseLevelUplink(DenseLevel rule, int capacity = 64)
{
    private readonly DenseLevelTracker _tracker = new(rule);
    private readonly Queue<(long Ms, Field[] Fields)> _kept = new();

    public DenseLevel Rule => rule;
    public bool Fast => _tracker.Active;
    public int Kept => _kept.Count;

    /// <summary>Takes one sample (all fields as they would be published, taken at <paramref name="simMs"/>) and appends to
    /// <paramref name="publish"/> what is published now, in order; <paramref name="reportAnyway"/>: the sample is reported
    /// whatever the level does (heartbeat, report on change).</summary>
    public void Take(long simMs, Field[] fields, bool reportAnyway, List<(long Ms, Field[] Fields)> publish)
    {
        var fast = _tracker.Observe(LevelOf(fields));
        if (!fast && !reportAnyway)
        {
            if (_kept.Count == capacity) _kept.Dequeue();
            _kept.Enqueue((simMs, fields));
            return;
        }
        if (fast) publish.AddRange(_kept);
        _kept.Clear();
        publish.Add((simMs, fields));
    }

    private double LevelOf(Field[] fields)
    {
        foreach (var f in fields)
            if (f.Name == rule.Field) return f.Value;
        throw new ArgumentException($"a sample without '{rule.Field}'", nameof(fields));
    }
}
