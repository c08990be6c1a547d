using Smart.Core;
using Smart.Detection;
using Smart.Core.Incidents;

namespace Smart.Detection.Tests;

public class EngineTests
{
    [Fact]
    public void A_condition_that_stays_true_is_raised_once()
    {
        var engine = new DetectionEngine();
        var alerts = Enumerable.Range(0, 50).SelectMany(i => engine.Process(Readings.Fire("F1", Readings.T0 + i * 10_000L, smoke: 9)).Alerts).ToList();
        Assert.Single(alerts);
    }

    [Fact]
    public void A_condition_still_present_is_raised_again_once_the_devices_alerts_are_reopened()
    {
        // The host reopens a device's alerts when its maintenance ends (its findings meanwhile made no incidents).
        var engine = new DetectionEngine();
        Assert.Equal([IncidentTypes.FireSmoke], engine.Process(Readings.Fire("F1", Readings.T0, smoke: 9)).Types());
        Assert.Empty(engine.Process(Readings.Fire("F1", Readings.T0 + 10_000, smoke: 9)).Alerts);
        engine.ReopenAlerts("F1");
        engine.ReopenAlerts("nobody"); // unknown: nothing to do
        Assert.Equal([IncidentTypes.FireSmoke], engine.Process(Readings.Fire("F1", Readings.T0 + 20_000, smoke: 9)).Types());
        Assert.Empty(engine.Process(Readings.Fire("F1", Readings.T0 + 30_000, smoke: 9)).Alerts);
        // A charger's ports too.
        Assert.Equal([IncidentTypes.ChargerLeakage], engine.Process(Readings.Charger("C1", Readings.T0, "charging", temp: 30, leak: 40)).Types());
        Assert.Empty(engine.Process(Readings.Charger("C1", Readings.T0 + 5_000, "charging", temp: 30, leak: 40)).Alerts);
        engine.ReopenAlerts("C1");
        Assert.Equal([IncidentTypes.ChargerLeakage], engine.Process(Readings.Charger("C1", Readings.T0 + 10_000, "charging", temp: 30, leak: 40)).Types());
    }

    [Fact]
    public void A_flapping_detector_is_debounced()
    {
        var engine = new DetectionEngine();
        // 9 %/m and 0.1 %/m alternating every 10 s for 5 minutes: one alert, not fifteen.
        var alerts = Enumerable.Range(0, 30)
            .SelectMany(i => engine.Process(Readings.Fire("F1", Readings.T0 + i * 10_000L, smoke: i % 2 == 0 ? 9 : 0.1)).Alerts).ToList();
        Assert.Single(alerts);
        // After the hold-off a new episode is raised again.
        var later = engine.Process(Readings.Fire("F1", Readings.T0 + 20 * 60_000L, smoke: 9));
        Assert.Equal([IncidentTypes.FireSmoke], later.Types());
    }

    [Fact]
    public void Two_detectors_in_one_building_within_minutes_confirm_a_fire()
    {
        var engine = new DetectionEngine();
        Assert.Equal([IncidentTypes.FireSmoke], engine.Process(Readings.Fire("F1", Readings.T0, smoke: 9, building: "B1")).Types());
        Assert.Equal([IncidentTypes.FireSmoke], engine.Process(Readings.Fire("F9", Readings.T0 + 60_000, smoke: 9, building: "B2")).Types());
        var second = engine.Process(Readings.Fire("F2", Readings.T0 + 120_000, temp: 70, building: "B1"));
        // The confirmation first, so the alarm that completed it joins the confirmed fire's incident (the store's rule).
        Assert.Equal([IncidentTypes.FireConfirmed, IncidentTypes.FireHeat], second.Types());
        var confirmed = second.Alerts[0];
        Assert.Equal(Severity.P1, confirmed.Severity);
        Assert.Equal("B1", confirmed.BuildingId);
        Assert.Equal(2, confirmed.Value);
        Assert.Equal(["F1"], confirmed.RelatedDeviceIds);
    }

    [Fact]
    public void Detectors_in_one_building_far_apart_in_time_do_not_confirm()
    {
        var engine = new DetectionEngine();
        engine.Process(Readings.Fire("F1", Readings.T0, smoke: 9));
        var r = engine.Process(Readings.Fire("F2", Readings.T0 + 6 * 60_000, smoke: 9));
        Assert.Equal([IncidentTypes.FireSmoke], r.Types());
    }

    [Fact]
    public void Every_numeric_metric_gets_a_layer2_score_in_0_1()
    {
        var engine = new DetectionEngine();
        var r = engine.Process(Readings.Fire("F1", Readings.T0));
        Assert.Equal(["smoke_pct_per_m", "temp_c", "co_ppm"], r.Scores.Select(s => s.Metric));
        Assert.All(r.Scores, s => Assert.InRange(s.Score, 0, 1));
    }

    [Fact]
    public void A_device_id_reused_with_another_kind_is_rejected_with_a_clear_error()
    {
        var engine = new DetectionEngine();
        engine.Process(Readings.Fire("D1", Readings.T0));
        var ex = Assert.Throws<ArgumentException>(() => engine.Process(Readings.Of(DeviceKind.Manhole, "D1", Readings.T0, ("tilt_deg", 1))));
        Assert.Contains("fire", ex.Message);
    }

    [Fact]
    public void Saved_and_restored_state_gives_identical_results()
    {
        var rng = new Random(7);
        var stream = Enumerable.Range(0, 3000).Select(i => Readings.Fire("F" + (i % 3), Readings.T0 + i * 10_000L,
            smoke: i is > 2500 and < 2520 ? 9 : 0.1 + 0.01 * rng.NextDouble(), temp: 22 + Math.Sin(i / 200.0) + rng.NextDouble(), co: 60)).ToList();
        var a = new DetectionEngine();
        foreach (var r in stream.Take(2000)) a.Process(r);
        using var saved = new MemoryStream();
        a.SaveState(saved);
        saved.Position = 0;
        var b = new DetectionEngine();
        b.LoadState(saved);
        foreach (var r in stream.Skip(2000))
        {
            var x = a.Process(r);
            var y = b.Process(r);
            Assert.Equal(x.Scores, y.Scores);
            Assert.Equal(x.Alerts, y.Alerts);
        }
    }

    [Fact]
    public void Loading_something_else_fails_with_a_message_that_says_what_to_do()
    {
        var ex = Assert.Throws<InvalidDataException>(() => new DetectionEngine().LoadState(new MemoryStream("hello world"u8.ToArray())));
        Assert.Contains("delete it", ex.Message);
    }
}
