using FirmwareSim.Models;

namespace FirmwareSim.Firmware;

/// <summary>
/// Dense level sampling with a pre-trigger (加密上报, as flood-monitoring manhole and sewer level gauges switch to a short
/// reporting period while the level changes fast). One field — the level — is sampled every <see cref="SamplePeriodMs"/>,
/// faster than the device's other sensors; the samples stay on the device until the level moves fast toward the
/// danger. Then the device enters fast mode: it first uploads the samples of the last two minutes it has not sent (each
/// with its own <c>ts</c>, oldest first; those older than its last uplink arrive after it) and reports every sample
/// while in fast mode, so the host sees one dense series with the quiet stretch before the move as its baseline. The pre-trigger is deliberately
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
/// Which of a dense-sampling device's samples go up (<see cref="DenseLevel"/>): every sample stays in a bounded ring of the
/// latest <paramref name="capacity"/> (60: two minutes of 2-s pings, ~1 KiB of a cover's RAM); one is sent when it is
/// reported for another reason (a heartbeat, a report on change) or while <paramref name="rule"/>'s fast mode lasts.
/// When a sample is reported in fast mode, every sample of the ring not sent yet goes first, oldest first, each with its
/// own <c>ts</c>: the baseline the host needs is the quiet stretch before the move, and the cover's last uplink (a
/// heartbeat) may have come just before it. The ones older than that uplink reach the host after it: <b>out of
/// <c>ts</c> order</b> (DESIGN §5 payloads unchanged; the host inserts them by <c>ts</c>, see Smart.Detection's
/// <c>RuleState.InsertTrend</c>).
/// </summary>
internal sealed class DenseLevelUplink(DenseLevel rule, int capacity = 60)
{
    private readonly DenseLevelTracker _tracker = new(rule);
    private readonly Queue<Sample> _recent = new();

    public DenseLevel Rule => rule;
    public bool Fast => _tracker.Active;
    /// <summary>Samples in the ring not sent yet.</summary>
    public int Kept => _recent.Count(s => !s.Sent);

    /// <summary>Takes one sample (all fields as they would be published, taken at <paramref name="simMs"/>) and appends to
    /// <paramref name="publish"/> what is published now, in that order; <paramref name="reportAnyway"/>: the sample is
    /// reported whatever the level does (heartbeat, report on change).</summary>
    public void Take(long simMs, Field[] fields, bool reportAnyway, List<(long Ms, Field[] Fields)> publish)
    {
        var fast = _tracker.Observe(LevelOf(fields));
        if (_recent.Count == capacity) _recent.Dequeue();
        var sample = new Sample(simMs, fields);
        _recent.Enqueue(sample);
        if (!fast && !reportAnyway) return;
        if (fast)
        {
            foreach (var kept in _recent)
                if (!kept.Sent) Send(kept, publish);
            return;
        }
        Send(sample, publish);
    }

    private void Send(Sample s, List<(long Ms, Field[] Fields)> publish)
    {
        s.Sent = true;
        publish.Add((s.Ms, s.Fields));
    }

    private double LevelOf(Field[] fields)
    {
        foreach (var f in fields)
            if (f.Name == rule.Field) return f.Value;
        throw new ArgumentException($"a sample without '{rule.Field}'", nameof(fields));
    }

    private sealed class Sample(long ms, Field[] fields)
    {
        public long Ms { get; } = ms;
        public Field[] Fields { get; } = fields;
        public bool Sent { get; set; }
    }
}
