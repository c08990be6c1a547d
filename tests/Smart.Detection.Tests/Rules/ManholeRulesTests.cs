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
}
