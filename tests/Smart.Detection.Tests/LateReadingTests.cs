using Smart.Core;
using Smart.Core.Incidents;
using Smart.Detection.Rules;

namespace Smart.Detection.Tests;

/// <summary>Readings older than their device's latest (a manhole cover's upload of level pings from before its last
/// uplink, firmware-sim's DenseLevelUplink): they join the level's rule history by time and change nothing else.</summary>
public class LateReadingTests
{
    private static ReadingInput Cover(long ts, double water, double tilt = 0.3) =>
        Readings.Of(DeviceKind.Manhole, "M1", ts, ("tilt_deg", tilt), ("water_level_cm", water), ("ch4_pct_lel", 0.5));

    [Fact]
    public void Late_samples_join_the_history_in_time_order_once_and_a_full_history_drops_its_oldest()
    {
        var state = new RuleState();
        foreach (var s in new[] { 0, 4, 8 }) state.AddTrend(s * 1_000L, s);
        state.InsertTrend(2_000, 2);
        state.InsertTrend(6_000, 6);
        state.InsertTrend(4_000, 99); // a redelivery of a time already held
        state.InsertTrend(-2_000, -2); // older than all, room left
        Assert.Equal([-2, 0, 2, 4, 6, 8], state.Trend().Select(p => (int)p.Value));
        Assert.Equal([-2_000L, 0, 2_000, 4_000, 6_000, 8_000], state.Trend().Select(p => p.TsMs));

        var full = new RuleState();
        for (var i = 0; i < 64; i++) full.AddTrend(i * 2_000L, i);
        full.InsertTrend(-2_000, -1); // older than every sample of a full history: no room
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (double)i), full.Trend().Select(p => p.Value));
        full.InsertTrend(61_000, 30.5); // between 30 and 31: the oldest (0) goes
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (double)i).Append(30.5).Concat(Enumerable.Range(31, 33).Select(i => (double)i)),
            full.Trend().Select(p => p.Value));
        Assert.Equal(2_000, full.LastGapMs);
    }

    [Fact]
    public void A_repeated_reading_counts_once_towards_a_rules_persistence()
    {
        // Over-current needs two readings at ≥ 5 A; one reading delivered twice (a QoS 1 redelivery, a device resending
        // the same seq) is one reading. The next one at ≥ 5 A is the second.
        var engine = new DetectionEngine();
        static ReadingInput Port(long ts, double amps) => Readings.Charger("C1", ts, "charging", temp: 30, current: amps, port: 1);
        for (var i = 0; i < 30; i++) engine.Process(Port(Readings.T0 + i * 30_000L, 2));
        var high = Port(Readings.T0 + 30 * 30_000L, 8);
        Assert.DoesNotContain(engine.Process(high).Alerts, a => a.IncidentType == IncidentTypes.ChargerOvercurrent);
        var again = engine.Process(high);
        Assert.Empty(again.Alerts);
        Assert.Empty(again.Scores);
        Assert.Contains(engine.Process(Port(Readings.T0 + 31 * 30_000L, 8)).Alerts, a => a.IncidentType == IncidentTypes.ChargerOvercurrent);
    }

    [Fact]
    public void A_late_reading_raises_nothing_scores_nothing_and_leaves_the_detectors_as_they_were()
    {
        var seen = new DetectionEngine();
        var never = new DetectionEngine();
        for (var i = 0; i < 60; i++)
        {
            seen.Process(Cover(Readings.T0 + i * 60_000L, 150 + i % 3 * 0.5));
            never.Process(Cover(Readings.T0 + i * 60_000L, 150 + i % 3 * 0.5));
        }
        // A late reading that, in order, would be a P1 flood, a tilted lid and a methane alarm.
        var late = seen.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0 + 58 * 60_000L + 1_000,
            ("tilt_deg", 40), ("water_level_cm", 2), ("ch4_pct_lel", 60)));
        Assert.Empty(late.Alerts);
        Assert.Empty(late.Scores);
        // The next readings score exactly as on an engine that never saw it (no detector took it as its next point; the
        // level joined the rule history, where the sparse rule sees only the water falling from it).
        for (var i = 60; i < 70; i++)
        {
            var a = seen.Process(Cover(Readings.T0 + i * 60_000L, 150 + (i == 65 ? 6 : 0)));
            var b = never.Process(Cover(Readings.T0 + i * 60_000L, 150 + (i == 65 ? 6 : 0)));
            Assert.Equal(b.Scores, a.Scores);
            Assert.Equal(b.Alerts, a.Alerts);
        }
    }

    [Fact]
    public void A_late_reading_counts_as_hearing_the_device_but_never_moves_its_last_seen_back()
    {
        var engine = new DetectionEngine();
        var last = Readings.T0 + 20 * 60_000L;
        for (var t = Readings.T0; t <= last; t += 60_000) engine.Process(Cover(t, 150));
        engine.Process(Cover(last - 100_000, 150)); // late
        Assert.Empty(engine.CheckSilence(last + 5 * 60_000 - 1).Alerts); // judged from the latest reading, not the late one
        Assert.Single(engine.CheckSilence(last + 10 * 60_000).Alerts, a => a.IncidentType == IncidentTypes.DeviceOffline);
    }

    [Fact]
    public void A_restored_engine_still_knows_the_latest_reading_and_takes_an_older_one_as_late()
    {
        var engine = new DetectionEngine();
        engine.Process(Cover(Readings.T0 + 60_000, 150));
        using var saved = new MemoryStream();
        engine.SaveState(saved);
        saved.Position = 0;
        var restored = new DetectionEngine();
        restored.LoadState(saved);
        Assert.Empty(restored.Process(Cover(Readings.T0, 2)).Alerts); // older: late, a flood level judged on nothing
        Assert.Contains(IncidentTypes.ManholeFlood, restored.Process(Cover(Readings.T0 + 62_000, 2)).Types());
    }

    [Fact]
    public void A_device_whose_clock_steps_back_further_than_a_late_upload_is_still_judged()
    {
        var engine = new DetectionEngine();
        var t = Readings.T0 + 3_600_000L;
        engine.Process(Cover(t, 150));
        // The clock was reset an hour back: its readings are judged as before, not taken as late.
        Assert.Contains(IncidentTypes.ManholeFlood, engine.Process(Cover(t - 3_600_000, 2)).Types());
        Assert.Empty(engine.Process(Cover(t - 3_600_000 - 60_000, 150, tilt: 40)).Alerts); // a minute older than that: late
    }

    /// <summary>A flood whose cover uploads its pings after the onset (in order) and, after that, the pings from before
    /// its last heartbeat (late): the same warning at the same reading as when all arrive in time order.</summary>
    [Fact]
    public void The_onset_test_sees_late_pings_as_if_they_had_come_in_order()
    {
        var rate = 12.0;
        var pings = Enumerable.Range(0, 80).Select(i => (Ts: Readings.T0 + i * 2_000L, Water: Math.Round(150 - rate * Math.Max(0, i - 60) * 2 / 60.0, 6))).ToList();
        List<long> WarnedAt(IEnumerable<(long Ts, double Water)> order)
        {
            var engine = new DetectionEngine();
            return order.Where(p => engine.Process(Cover(p.Ts, p.Water)).Alerts.Any(a => a.IncidentType == IncidentTypes.ManholeFlood))
                .Select(p => p.Ts).ToList();
        }
        var inOrder = WarnedAt(pings);
        Assert.NotEmpty(inOrder);
        // The heartbeat (ping 40) first, then pings 0..39 late, then 41.. in order.
        var uploaded = WarnedAt(pings.Skip(40).Take(1).Concat(pings.Take(40)).Concat(pings.Skip(41)));
        Assert.Equal(inOrder, uploaded);
    }
}
