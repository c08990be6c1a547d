using Smart.Core.Incidents;
using Xunit.Abstractions;

namespace Smart.Detection.Tests.State;

/// <summary>Stuck-at by exact repetition (State/RepeatTracker): a frozen front end repeats its value digit for digit;
/// a live sensor, or a value that normally repeats in its operating state, is left alone.</summary>
public class RepeatTrackerTests(ITestOutputHelper output)
{
    private const int Seed = 1234;
    private const long Step = 30_000;

    /// <summary>Two hours of a live fire detector (noise as reported: 0.01 °C, 0.001 %/m, 0.1 ppm), then
    /// <paramref name="heldReadings"/> readings frozen at the last values.</summary>
    private List<DetectionAlert> FireThenHeld(int heldReadings)
    {
        output.WriteLine($"seed {Seed}");
        var rng = new Random(Seed);
        var engine = new DetectionEngine();
        var alerts = new List<DetectionAlert>();
        double smoke = 0, temp = 0, co = 0;
        for (var i = 0; i < 240 + heldReadings; i++)
        {
            if (i < 240)
            {
                smoke = Math.Round(Math.Max(0, 0.02 + Gaussian(rng) * 0.01), 3);
                temp = Math.Round(22 + Gaussian(rng) * 0.1, 2);
                co = Math.Round(Math.Max(0, 1 + Gaussian(rng) * 0.8), 1);
            }
            alerts.AddRange(engine.Process(Readings.Fire("F1", Readings.T0 + i * Step, smoke, temp, co)).Alerts);
        }
        return alerts;
    }

    [Theory]
    [InlineData(59, false)] // 29.5 min after the value was first seen
    [InlineData(60, true)]  // 30 min: StuckMinMs
    [InlineData(61, true)]
    public void A_detector_whose_readings_freeze_is_stuck_after_30_minutes(int heldReadings, bool stuck)
    {
        var alerts = FireThenHeld(heldReadings);
        foreach (var a in alerts) output.WriteLine($"{a.IncidentType} {a.Reason}");
        Assert.Equal(stuck, alerts.Any(a => a.IncidentType == IncidentTypes.SensorStuck && a.Reason.Contains("exactly", StringComparison.Ordinal)));
        Assert.DoesNotContain(alerts, a => a.IncidentType != IncidentTypes.SensorStuck);
    }

    /// <summary>A charger port: three hours charging (power varies with the mains), then at float reporting exactly
    /// the same power and current for three hours, in state <paramref name="floatState"/>.</summary>
    private static List<DetectionAlert> ChargeThenFloat(string floatState)
    {
        var rng = new Random(Seed);
        var engine = new DetectionEngine();
        var alerts = new List<DetectionAlert>();
        for (var i = 0; i < 720; i++)
        {
            var charging = i < 360;
            var current = charging ? Math.Round(1.1 + Gaussian(rng) * 0.01, 3) : 0.01;
            var temp = Math.Round(30 + Gaussian(rng) * 0.2, 2);
            var leak = Math.Round(0.6 + Gaussian(rng) * 0.1, 2);
            alerts.AddRange(engine.Process(Readings.Charger("C1", Readings.T0 + i * Step, charging ? "charging" : floatState, temp, current, leak)).Alerts);
        }
        return alerts;
    }

    [Fact]
    public void A_port_at_float_repeating_its_power_is_not_stuck() =>
        Assert.DoesNotContain(ChargeThenFloat("full"), a => a.IncidentType == IncidentTypes.SensorStuck);

    [Fact]
    public void Without_the_state_change_the_same_repetition_would_look_stuck() =>
        // The control for the test above: what keeps the float out is the operating state, not a blind spot.
        Assert.Contains(ChargeThenFloat("charging"), a => a.IncidentType == IncidentTypes.SensorStuck);

    [Fact]
    public void A_metric_that_mostly_repeats_is_never_judged()
    {
        // Camera frame rate: 25 fps, now and then 24.
        var rng = new Random(Seed);
        var engine = new DetectionEngine();
        var alerts = Enumerable.Range(0, 24 * 60).SelectMany(i => engine.Process(Readings.Of(Smart.Core.DeviceKind.Camera, "K1",
            Readings.T0 + i * 60_000L, ("fps", rng.NextDouble() < 0.97 ? 25 : 24), ("lens_blocked", 0))).Alerts).ToList();
        Assert.DoesNotContain(alerts, a => a.IncidentType == IncidentTypes.SensorStuck);
    }

    [Fact]
    public void The_repetition_state_survives_a_restart()
    {
        var a = new DetectionEngine();
        var rng = new Random(Seed);
        for (var i = 0; i < 240; i++) a.Process(Readings.Fire("F1", Readings.T0 + i * Step, 0.02, Math.Round(22 + Gaussian(rng) * 0.1, 2), 1));
        using var saved = new MemoryStream();
        a.SaveState(saved);
        saved.Position = 0;
        var b = new DetectionEngine();
        b.LoadState(saved);
        var held = Enumerable.Range(240, 61).Select(i => Readings.Fire("F1", Readings.T0 + i * Step, 0.02, 22.5, 1)).ToList();
        var before = held.Select(r => a.Process(r).Types().Contains(IncidentTypes.SensorStuck)).ToList();
        Assert.Contains(true, before);
        Assert.Equal(before, held.Select(r => b.Process(r).Types().Contains(IncidentTypes.SensorStuck)));
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
