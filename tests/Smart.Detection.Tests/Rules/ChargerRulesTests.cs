using Smart.Detection;
using Smart.Core.Incidents;

namespace Smart.Detection.Tests.Rules;

public class ChargerRulesTests
{
    private static DetectionResult[] Run(params ReadingInput[] readings)
    {
        var engine = new DetectionEngine();
        return readings.Select(engine.Process).ToArray();
    }

    private static ReadingInput At(int minute, string state = "charging", double temp = 35, double current = 2, double leak = 1) =>
        Readings.Charger("C1", Readings.T0 + minute * 60_000L, state, temp, current, leak);

    [Theory]
    [InlineData(59.9, false)]
    [InlineData(60.0, true)]
    [InlineData(60.1, true)]
    public void Overheat_alarms_at_60_C_when_not_rising(double temp, bool alarms) =>
        Assert.Equal(alarms, Run(At(0, "idle", temp)).SelectMany(r => r.Types()).Contains(IncidentTypes.ChargerOverheat));

    [Theory]
    [InlineData(4.9, false)]
    [InlineData(5.0, true)]
    [InlineData(5.1, true)]
    public void Overcurrent_alarms_at_5_A_for_two_readings(double amps, bool alarms)
    {
        Assert.DoesNotContain(IncidentTypes.ChargerOvercurrent, Run(At(0, current: amps)).SelectMany(r => r.Types()));
        Assert.Equal(alarms, Run(At(0, current: amps), At(1, current: amps)).SelectMany(r => r.Types()).Contains(IncidentTypes.ChargerOvercurrent));
    }

    [Theory]
    [InlineData(29.9, false)]
    [InlineData(30.0, true)]
    [InlineData(30.1, true)]
    public void Leakage_alarms_at_the_30_mA_RCD_level(double ma, bool alarms) =>
        Assert.Equal(alarms, Run(At(0, leak: ma)).SelectMany(r => r.Types()).Contains(IncidentTypes.ChargerLeakage));

    [Fact]
    public void Charging_longer_than_10_hours_is_reported_once()
    {
        var readings = Enumerable.Range(0, 11 * 12).Select(i => At(i * 5)).ToArray(); // every 5 min for 11 h
        var results = Run(readings);
        var index = Array.FindIndex(results, r => r.Types().Contains(IncidentTypes.ChargerLongCharge));
        Assert.Equal(120, index); // 600 minutes after the first charging reading
        Assert.Single(results.SelectMany(r => r.Types()), t => t == IncidentTypes.ChargerLongCharge);
    }

    [Fact]
    public void Unplugging_resets_the_charge_timer()
    {
        var readings = Enumerable.Range(0, 11 * 12).Select(i => At(i * 5, state: i == 60 ? "idle" : "charging")).ToArray();
        Assert.DoesNotContain(IncidentTypes.ChargerLongCharge, Run(readings).SelectMany(r => r.Types()));
    }

    [Theory]
    [InlineData(0.9, false)]
    [InlineData(1.1, true)]
    public void Temperature_rising_while_charging_is_thermal_runaway_and_cuts_power(double ratePerMin, bool runaway)
    {
        var readings = Enumerable.Range(0, 6).Select(i => At(i, temp: 46 + ratePerMin * i)).ToArray();
        var results = Run(readings);
        Assert.Equal(runaway, results.SelectMany(r => r.Types()).Contains(IncidentTypes.ChargerThermalRunaway));
        var command = results.SelectMany(r => r.Commands).SingleOrDefault();
        Assert.Equal(runaway, command is not null);
        if (runaway)
        {
            Assert.Equal("""{"cmd":"cut_power","port":3}""", command!.PayloadJson);
            Assert.Equal(Severity.P1, results.SelectMany(r => r.Alerts).Single().Severity);
        }
    }

    [Fact]
    public void The_same_rise_while_idle_is_not_runaway()
    {
        var readings = Enumerable.Range(0, 6).Select(i => At(i, state: "idle", temp: 46 + 2 * i)).ToArray();
        Assert.DoesNotContain(IncidentTypes.ChargerThermalRunaway, Run(readings).SelectMany(r => r.Types()));
    }

    [Theory]
    [InlineData(79.9, false)]
    [InlineData(80.0, true)]
    public void Eighty_degrees_is_runaway_in_any_state(double temp, bool runaway) =>
        Assert.Equal(runaway, Run(At(0, "full", temp)).SelectMany(r => r.Types()).Contains(IncidentTypes.ChargerThermalRunaway));

    [Fact]
    public void Ports_are_judged_on_their_own_readings()
    {
        // A station reports its ports in turn: port 2's normal readings must neither reset port 1's over-current
        // count nor clear (and so re-raise) port 1's condition.
        var readings = Enumerable.Range(0, 6).SelectMany(i => new[]
        {
            Readings.Charger("C1", Readings.T0 + i * 30_000L, "charging", 35, current: 12, port: 1),
            Readings.Charger("C1", Readings.T0 + i * 30_000L + 1_000, "charging", 35, current: 2, port: 2),
        }).ToArray();
        var types = Run(readings).SelectMany(r => r.Types()).ToList();
        Assert.Single(types, t => t == IncidentTypes.ChargerOvercurrent);
    }

    [Fact]
    public void A_runaway_hot_enough_is_also_an_overheat() =>
        Assert.Equal([IncidentTypes.ChargerThermalRunaway, IncidentTypes.ChargerOverheat], Run(At(0, "charging", 85)).SelectMany(r => r.Types()).ToList());
    /// <summary>Readings every 30 s while charging, from 30 °C (well below the 45 °C runaway floor) rising at
    /// <paramref name="ratePerMin"/>.</summary>
    private static DetectionResult[] Rising(double ratePerMin, int readings = 7, string state = "charging") =>
        Run(Enumerable.Range(0, readings).Select(i => Readings.Charger("C1", Readings.T0 + i * 30_000L, state, 30 + ratePerMin * i / 2)).ToArray());

    [Theory]
    [InlineData(1.9, false)]
    [InlineData(2.0, true)]
    [InlineData(2.1, true)]
    public void Temperature_rising_2_C_per_minute_while_charging_is_a_runaway_precursor_without_a_power_cut(double ratePerMin, bool warns)
    {
        var results = Rising(ratePerMin);
        var alerts = results.SelectMany(r => r.Alerts).Where(a => a.IncidentType == IncidentTypes.ChargerThermalRunaway).ToList();
        Assert.Equal(warns, alerts.Count > 0);
        Assert.All(alerts, a => Assert.Equal(Severity.P2, a.Severity));
        Assert.Empty(results.SelectMany(r => r.Commands));
    }

    [Theory]
    [InlineData(2.9, false)]
    [InlineData(3.0, true)]
    [InlineData(3.1, true)]
    public void The_precursor_needs_3_C_of_rise_so_sensor_noise_cannot_raise_it(double jumpC, bool warns)
    {
        // One step within 30 s is a steep rate (≥ 5.8 °C/min) either way: only the size of the rise decides.
        var readings = new[] { 30.0, 30.0, 30 + jumpC }.Select((t, i) => Readings.Charger("C1", Readings.T0 + i * 30_000L, "charging", t)).ToArray();
        Assert.Equal(warns, Run(readings).SelectMany(r => r.Types()).Contains(IncidentTypes.ChargerThermalRunaway));
    }

    [Fact]
    public void The_precursor_is_not_raised_while_idle() =>
        Assert.DoesNotContain(IncidentTypes.ChargerThermalRunaway, Rising(4, state: "idle").SelectMany(r => r.Types()));

    [Fact]
    public void A_precursor_is_upgraded_to_P1_and_cuts_power_once_the_runaway_is_confirmed()
    {
        // 30 °C rising 4 °C/min: the precursor after a minute, the runaway (≥ 45 °C and rising) after four.
        var results = Rising(4, readings: 12);
        var alerts = results.SelectMany(r => r.Alerts).Where(a => a.IncidentType == IncidentTypes.ChargerThermalRunaway).ToList();
        Assert.Equal([Severity.P2, Severity.P1], alerts.Select(a => a.Severity));
        var cut = Array.FindIndex(results, r => r.Commands.Count > 0);
        Assert.Equal(Array.FindIndex(results, r => r.Alerts.Any(a => a.Severity == Severity.P1)), cut);
        Assert.Single(results.SelectMany(r => r.Commands));
    }
}
