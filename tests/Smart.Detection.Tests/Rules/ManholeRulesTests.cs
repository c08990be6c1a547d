using Smart.Core;
using Smart.Detection;
using Smart.Core.Incidents;

namespace Smart.Detection.Tests.Rules;

public class ManholeRulesTests
{
    private static List<DetectionAlert> Run(int readings, params (string, double)[] fields)
    {
        var engine = new DetectionEngine();
        var normal = new (string, double)[] { ("tilt_deg", 0.5), ("displacement_mm", 1), ("water_level_cm", 150), ("ch4_pct_lel", 0), ("h2s_ppm", 0), ("lid_open", 0) };
        var merged = normal.Where(n => fields.All(f => f.Item1 != n.Item1)).Concat(fields).ToArray();
        return Enumerable.Range(0, readings).SelectMany(i => engine.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0 + i * 60_000L, merged)).Alerts).ToList();
    }

    [Theory]
    [InlineData(4.9, false)]
    [InlineData(5.0, true)]
    [InlineData(5.1, true)]
    public void Tilt_alarms_at_5_degrees_held_for_two_readings(double tilt, bool alarms)
    {
        Assert.Empty(Run(1, ("tilt_deg", tilt)));
        Assert.Equal(alarms, Run(2, ("tilt_deg", tilt)).Any(a => a.IncidentType == IncidentTypes.ManholeTilt));
    }

    [Theory]
    [InlineData(19.9, false)]
    [InlineData(20.0, true)]
    [InlineData(20.1, true)]
    public void Displacement_alarms_at_20_mm(double mm, bool alarms) =>
        Assert.Equal(alarms, Run(1, ("displacement_mm", mm)).Any(a => a.IncidentType == IncidentTypes.ManholeDisplaced));

    [Fact]
    public void An_open_lid_alarms_at_once() =>
        Assert.Equal(IncidentTypes.ManholeOpen, Assert.Single(Run(1, ("lid_open", 1))).IncidentType);

    [Theory]
    [InlineData(30.1, null)]
    [InlineData(30.0, Severity.P2)]
    [InlineData(10.0, Severity.P1)]
    public void Water_close_to_the_lid_is_a_flood(double cm, Severity? severity)
    {
        var flood = Run(1, ("water_level_cm", cm)).SingleOrDefault(a => a.IncidentType == IncidentTypes.ManholeFlood);
        Assert.Equal(severity, flood?.Severity);
    }

    [Theory]
    [InlineData("ch4_pct_lel", 9.9, null)]
    [InlineData("ch4_pct_lel", 10.0, Severity.P2)]
    [InlineData("ch4_pct_lel", 25.0, Severity.P1)]
    [InlineData("h2s_ppm", 9.9, null)]
    [InlineData("h2s_ppm", 10.0, Severity.P2)]
    [InlineData("h2s_ppm", 15.0, Severity.P1)]
    public void Gas_alarms_at_the_low_and_high_levels(string metric, double value, Severity? severity)
    {
        var gas = Run(1, (metric, value)).SingleOrDefault(a => a.IncidentType == IncidentTypes.ManholeGas);
        Assert.Equal(severity, gas?.Severity);
    }

    [Fact]
    public void Rising_gas_escalates_the_same_finding()
    {
        var engine = new DetectionEngine();
        var first = engine.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0, ("ch4_pct_lel", 12)));
        var same = engine.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0 + 60_000, ("ch4_pct_lel", 14)));
        var worse = engine.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0 + 120_000, ("ch4_pct_lel", 30)));
        Assert.Equal(Severity.P2, Assert.Single(first.Alerts).Severity);
        Assert.Empty(same.Alerts);
        Assert.Equal(Severity.P1, Assert.Single(worse.Alerts).Severity);
    }
    /// <summary>Readings every 30 s with the water rising <paramref name="cmPerMin"/> from <paramref name="fromCm"/> below the lid.</summary>
    private static List<DetectionAlert> Rising(double cmPerMin, int readings = 8, double fromCm = 150)
    {
        var engine = new DetectionEngine();
        return Enumerable.Range(0, readings).SelectMany(i => engine.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0 + i * 30_000L,
            ("tilt_deg", 0.5), ("water_level_cm", fromCm - cmPerMin * i / 2))).Alerts).ToList();
    }

    [Theory]
    [InlineData(4.9, false)]
    [InlineData(5.0, true)]
    [InlineData(5.1, true)]
    public void Water_rising_5_cm_per_minute_is_a_P3_flood_warning(double cmPerMin, bool warns)
    {
        var flood = Rising(cmPerMin).Where(a => a.IncidentType == IncidentTypes.ManholeFlood).ToList();
        Assert.Equal(warns, flood.Count > 0);
        Assert.All(flood, a => Assert.Equal(Severity.P3, a.Severity));
    }

    [Theory]
    [InlineData(4.9, false)]
    [InlineData(5.0, true)]
    [InlineData(5.1, true)]
    public void The_flood_warning_needs_5_cm_of_rise_so_gauge_noise_cannot_raise_it(double jumpCm, bool warns)
    {
        // One step over 45 s is ≥ 6.5 cm/min either way: only the size of the rise decides.
        var engine = new DetectionEngine();
        var alerts = new[] { 150.0, 150.0, 150 - jumpCm }.SelectMany((cm, i) => engine.Process(Readings.Of(DeviceKind.Manhole, "M1",
            Readings.T0 + i * 45_000L, ("water_level_cm", cm))).Alerts);
        Assert.Equal(warns, alerts.Any(a => a.IncidentType == IncidentTypes.ManholeFlood));
    }

    [Theory]
    [InlineData(9_999, false)]
    [InlineData(10_000, true)]
    public void The_rise_is_judged_over_at_least_one_sample_period_of_the_cover(long afterMs, bool warns)
    {
        var engine = new DetectionEngine();
        engine.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0, ("water_level_cm", 150.0)));
        var alerts = engine.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0 + afterMs, ("water_level_cm", 140.0))).Alerts;
        Assert.Equal(warns, alerts.Any(a => a.IncidentType == IncidentTypes.ManholeFlood));
    }

    [Fact]
    public void Rain_filling_the_sewer_at_2_cm_per_minute_is_not_a_flood() =>
        Assert.DoesNotContain(Rising(2, readings: 60), a => a.IncidentType == IncidentTypes.ManholeFlood);

    [Fact]
    public void Rain_at_2_cm_per_minute_reported_every_10_s_with_the_gauge_noise_is_not_a_flood()
    {
        // The cover in fast mode during the steepest shower: 20 min of 10-s reports, noise σ 0.5 cm (seeded).
        var engine = new DetectionEngine();
        var rng = new Random(4);
        var alerts = Enumerable.Range(0, 120).SelectMany(i => engine.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0 + i * 10_000L,
            ("water_level_cm", 150 - 2.0 * i / 6 + 0.5 * Normal(rng)))).Alerts);
        Assert.DoesNotContain(alerts, a => a.IncidentType == IncidentTypes.ManholeFlood);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void A_flood_warning_is_upgraded_when_the_water_reaches_the_alarm_levels()
    {
        // 60 cm below the lid rising 8 cm/min: warning, then 30 cm (P2), then 10 cm (P1).
        var flood = Rising(8, readings: 14, fromCm: 60).Where(a => a.IncidentType == IncidentTypes.ManholeFlood).Select(a => a.Severity);
        Assert.Equal([Severity.P3, Severity.P2, Severity.P1], flood);
    }
}
