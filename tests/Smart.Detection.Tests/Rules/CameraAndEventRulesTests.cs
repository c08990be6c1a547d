using Smart.Core;
using Smart.Detection;
using Smart.Core.Incidents;

namespace Smart.Detection.Tests.Rules;

public class CameraAndEventRulesTests
{
    private static EventInput Falling(long ts, double confidence, double floorMin, double floorMax) =>
        new("K1", DeviceKind.Camera, "B1", ts, "falling_object",
            [new("confidence", confidence), new("floor_est", floorMax), new("floor_min", floorMin), new("floor_max", floorMax)]);

    [Theory]
    [InlineData(0.59, 8, 9, false)]
    [InlineData(0.60, 8, 9, true)]
    [InlineData(0.90, 3, 9, false)] // released from the 3rd floor at the least: falls 2 floors, not more than 2
    [InlineData(0.90, 4, 9, true)]
    [InlineData(0.90, 2, 3, false)] // balcony drip on the 2nd floor
    public void Falling_object_needs_confidence_and_a_fall_of_more_than_two_floors_from_the_lowest_release_floor(double confidence, double min, double max, bool alarms)
    {
        var r = new DetectionEngine().ProcessEvent(Falling(Readings.T0, confidence, min, max));
        Assert.Equal(alarms, r.Types().Contains(IncidentTypes.CameraFallingObject));
    }

    [Fact]
    public void Re_detections_of_one_fall_within_a_minute_are_one_finding()
    {
        var engine = new DetectionEngine();
        Assert.Single(engine.ProcessEvent(Falling(Readings.T0, 0.9, 8, 9)).Alerts);
        Assert.Empty(engine.ProcessEvent(Falling(Readings.T0 + 5_000, 0.9, 8, 9)).Alerts);
        Assert.Single(engine.ProcessEvent(Falling(Readings.T0 + 120_000, 0.9, 8, 9)).Alerts);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void A_blocked_lens_alarms_after_two_readings(int readings, bool alarms)
    {
        var engine = new DetectionEngine();
        var types = Enumerable.Range(0, readings).SelectMany(i => engine.Process(
            Readings.Of(DeviceKind.Camera, "K1", Readings.T0 + i * 60_000L, ("fps", 25), ("lens_blocked", 1))).Types()).ToList();
        Assert.Equal(alarms, types.Contains(IncidentTypes.CameraBlocked));
    }

    [Fact]
    public void Manual_call_point_is_P1_and_counts_towards_a_confirmed_fire()
    {
        var engine = new DetectionEngine();
        var button = engine.ProcessEvent(new EventInput("F1", DeviceKind.Fire, "B1", Readings.T0, "alarm_button", []));
        Assert.Equal(Severity.P1, Assert.Single(button.Alerts).Severity);
        var smoke = engine.Process(Readings.Fire("F2", Readings.T0 + 30_000, smoke: 9));
        Assert.Contains(IncidentTypes.FireConfirmed, smoke.Types());
    }

    [Fact]
    public void Self_test_and_plug_events_are_not_findings()
    {
        var engine = new DetectionEngine();
        Assert.Empty(engine.ProcessEvent(new EventInput("F1", DeviceKind.Fire, "B1", Readings.T0, "self_test", [])).Alerts);
        Assert.Empty(engine.ProcessEvent(new EventInput("C1", DeviceKind.Charger, "B1", Readings.T0, "plug_in", [])).Alerts);
    }
}
