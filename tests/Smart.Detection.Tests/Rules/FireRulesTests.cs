using Smart.Detection;
using Smart.Core.Incidents;

namespace Smart.Detection.Tests.Rules;

public class FireRulesTests
{
    private static List<DetectionAlert> Run(params ReadingInput[] readings)
    {
        var engine = new DetectionEngine();
        return readings.SelectMany(r => engine.Process(r).Alerts).ToList();
    }

    private static ReadingInput At(int i, double smoke = 0.1, double temp = 22, double co = 0) =>
        Readings.Fire("F1", Readings.T0 + i * 10_000L, smoke, temp, co);

    [Theory]
    [InlineData(3.99, false)]
    [InlineData(4.00, true)]
    [InlineData(4.01, true)]
    public void Smoke_alarms_at_4_pct_per_m_after_two_readings(double smoke, bool alarms)
    {
        Assert.Empty(Run(At(0), At(1, smoke)));
        var alerts = Run(At(0), At(1, smoke), At(2, smoke));
        Assert.Equal(alarms, alerts.Any(a => a.IncidentType == IncidentTypes.FireSmoke));
    }

    [Fact]
    public void Smoke_twice_the_level_alarms_on_the_first_reading()
    {
        var alert = Assert.Single(Run(At(0), At(1, 8.0)));
        Assert.Equal(IncidentTypes.FireSmoke, alert.IncidentType);
        Assert.Equal(Severity.P2, alert.Severity);
        Assert.Contains("smoke obscuration", alert.Reason);
    }

    [Theory]
    [InlineData(53.9, false)]
    [InlineData(54.0, true)]
    [InlineData(54.1, true)]
    public void Heat_alarms_at_the_EN54_5_A1_static_temperature(double temp, bool alarms)
    {
        // Reached slowly (1 °C per 10 min) so only the static part can fire.
        var readings = Enumerable.Range(0, 33).Select(i => Readings.Fire("F1", Readings.T0 + i * 600_000L, temp: temp - 32 + i)).ToArray();
        Assert.Equal(alarms, Run(readings).Any(a => a.IncidentType == IncidentTypes.FireHeat));
    }

    [Theory]
    [InlineData(8.0, false)]
    [InlineData(8.3, true)]
    [InlineData(9.0, true)]
    public void Heat_alarms_on_a_rate_of_rise_of_8_3_C_per_min(double ratePerMin, bool alarms)
    {
        // 10 s samples from 20 °C for 60 s: stays below the static 54 °C.
        var readings = Enumerable.Range(0, 7).Select(i => At(i, temp: 20 + ratePerMin * i / 6.0)).ToArray();
        Assert.Equal(alarms, Run(readings).Any(a => a.IncidentType == IncidentTypes.FireHeat));
    }

    [Fact]
    public void Slow_noise_on_temperature_never_alarms()
    {
        var rng = new Random(42);
        var readings = Enumerable.Range(0, 5000).Select(i => At(i, temp: 24 + 2 * Math.Sin(i / 500.0) + rng.NextDouble())).ToArray();
        Assert.Empty(Run(readings));
    }

    /// <summary>UL 2034 alarm bands: 70 ppm 60–240 min, 150 ppm 10–50 min, 400 ppm 4–15 min.</summary>
    [Theory]
    [InlineData(70, 60, 240)]
    [InlineData(150, 10, 50)]
    [InlineData(400, 4, 15)]
    public void Co_alarms_within_the_UL_2034_band(double ppm, double minMinutes, double maxMinutes)
    {
        var minute = CoAlarmMinute(ppm, 300);
        Assert.NotNull(minute);
        Assert.InRange(minute!.Value, minMinutes, maxMinutes);
    }

    [Fact]
    public void Co_at_30_ppm_for_30_days_does_not_alarm() => Assert.Null(CoAlarmMinute(30, 30 * 24 * 60));

    private static double? CoAlarmMinute(double ppm, int minutes)
    {
        var engine = new DetectionEngine();
        for (var m = 0; m <= minutes; m++)
            if (engine.Process(Readings.Fire("F1", Readings.T0 + m * 60_000L, co: ppm)).Alerts.Any(a => a.IncidentType == IncidentTypes.FireCo && a.Severity == Severity.P1))
                return m;
        return null;
    }

    [Fact]
    public void Device_alarm_flag_raises_device_alarm()
    {
        var engine = new DetectionEngine();
        var r = engine.Process(Readings.Of(Smart.Core.DeviceKind.Fire, "F1", Readings.T0, ("smoke_pct_per_m", 0.1), ("alarm", 1)));
        Assert.Equal([IncidentTypes.FireDeviceAlarm], r.Types());
    }

    [Theory]
    [InlineData(49.9, null)]
    [InlineData(50.0, Severity.P3)]
    [InlineData(50.1, Severity.P3)]
    public void Co_at_the_WHO_30_minute_level_is_a_warning_before_the_alarm_curve(double ppm, Severity? severity)
    {
        var engine = new DetectionEngine();
        var co = engine.Process(Readings.Fire("F1", Readings.T0, co: ppm)).Alerts.SingleOrDefault(a => a.IncidentType == IncidentTypes.FireCo);
        Assert.Equal(severity, co?.Severity);
    }

    [Fact]
    public void A_co_warning_is_upgraded_to_P1_when_the_dose_reaches_the_alarm_curve()
    {
        var engine = new DetectionEngine();
        var co = Enumerable.Range(0, 60).SelectMany(m => engine.Process(Readings.Fire("F1", Readings.T0 + m * 60_000L, co: 150)).Alerts)
            .Where(a => a.IncidentType == IncidentTypes.FireCo).Select(a => a.Severity);
        Assert.Equal([Severity.P3, Severity.P1], co);
    }
}
