using System.Globalization;
using Smart.Detection;
using Smart.Detection.Evaluation;
using Smart.Core.Incidents;

namespace Smart.Detection.Tests.Evaluation;

public class ScenarioEvaluatorTests
{
    private static RecordedMessage Fire(string id, long ts, double smoke, double temp) => new(ts, $"smart/v1/fire/{id}/telemetry",
        string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts}},"seq":1,"smoke_pct_per_m":{{smoke}},"temp_c":{{temp}},"co_ppm":0,"alarm":false}"""));

    [Fact]
    public void A_fire_scenario_is_detected_with_its_delay_and_nothing_else_is_raised()
    {
        var onset = Readings.T0 + 600_000;
        var messages = Enumerable.Range(0, 40).SelectMany(i =>
        {
            var ts = Readings.T0 + i * 30_000L;
            var burning = ts >= onset;
            return new[] { Fire("F1", ts, burning ? 6 : 0.05, 22), Fire("F2", ts + 1000, burning && ts >= onset + 30_000 ? 7 : 0.05, 22) };
        }).ToList();
        messages.Add(new RecordedMessage(Readings.T0 + 700_000, "smart/v1/camera/K1/event", """{"type":"falling_object","confidence":0.3,"floor_min":1,"floor_max":9}"""));
        var truth = new[] { new GroundTruth("fire-b1", null, "B1", onset, onset + 600_000, IncidentTypes.FireConfirmed) };
        var report = new ScenarioEvaluator(_ => "B1").Evaluate(messages, truth);
        var outcome = Assert.Single(report.Outcomes);
        Assert.True(outcome.Detected);
        Assert.InRange(outcome.DelaySeconds!.Value, 0, 90);
        Assert.Equal(1.0, report.Recall);
        Assert.Equal(IncidentTypes.FireConfirmed, outcome.FirstAlert!.IncidentType);
        Assert.Empty(report.FalseAlerts);
        Assert.Equal(1.0, report.Precision);
    }

    [Fact]
    public void Every_alert_is_listed_in_the_order_raised_with_the_scenario_it_is_about()
    {
        var onset = Readings.T0 + 600_000;
        // F9 smokes for its first two readings, before the scenario (on F1) begins: an alert about no scenario.
        var messages = Enumerable.Range(0, 40).SelectMany(i =>
        {
            var ts = Readings.T0 + i * 30_000L;
            return new[] { Fire("F9", ts, i < 2 ? 6 : 0.05, 22), Fire("F1", ts + 1000, ts >= onset ? 6 : 0.05, 22) };
        }).ToList();
        var truth = new[] { new GroundTruth("smoke-f1#0", "F1", "B1", onset, onset + 600_000, IncidentTypes.FireSmoke) };
        var report = new ScenarioEvaluator(_ => "B1").Evaluate(messages, truth);
        Assert.Equal([("F9", IncidentTypes.FireSmoke, null), ("F1", IncidentTypes.FireSmoke, "smoke-f1#0")],
            report.Alerts.Select(a => (a.Alert.DeviceId, a.Alert.IncidentType, a.Scenario)).ToList<(string, string, string?)>());
        Assert.Equal(report.FalseAlerts, report.Alerts.Where(a => a.Scenario is null).Select(a => a.Alert));
    }

    [Fact]
    public void Delays_are_given_from_the_onset_for_the_first_alert_of_any_type_and_for_the_expected_one()
    {
        // Smoke from the onset (alarms at the second reading, 30 s later); the heat expectation starts 60 s in, and
        // the temperature reaches the fixed 54 °C level at 90 s.
        var onset = Readings.T0 + 600_000;
        var messages = Enumerable.Range(0, 40).Select(i =>
        {
            var ts = Readings.T0 + i * 30_000L;
            return Fire("F1", ts, ts >= onset ? 6 : 0.05, ts >= onset + 90_000 ? 60 : 22);
        }).ToList();
        var truth = new[] { new GroundTruth("fire-b1", "F1", "B1", onset + 60_000, onset + 600_000, IncidentTypes.FireHeat) { OnsetMs = onset } };
        var outcome = Assert.Single(new ScenarioEvaluator(_ => "B1").Evaluate(messages, truth).Outcomes);
        Assert.Equal((IncidentTypes.FireSmoke, 30.0), (outcome.FirstAnyAlert!.IncidentType, outcome.FirstAnyFromOnsetSeconds!.Value));
        Assert.Equal((90.0, 30.0), (outcome.DelayFromOnsetSeconds!.Value, outcome.DelaySeconds!.Value));
        Assert.Equal(90.0, outcome.FullFromOnsetSeconds!.Value);
    }

    [Fact]
    public void Payload_booleans_become_0_1_and_ts_and_seq_are_not_metrics()
    {
        var r = PayloadReader.ToReading(Smart.Core.DeviceKind.Charger, "C1", "B1", 5, """{"ts":1000,"seq":7,"state":"charging","current_a":2.5,"lid":true}""");
        Assert.Equal(1000, r.TimestampMs);
        Assert.Equal("charging", r.State);
        Assert.Equal([new Metric("current_a", 2.5), new Metric("lid", 1)], r.Metrics);
    }
}
