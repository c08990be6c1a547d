using Smart.Core;
using Smart.Core.Incidents;
using Smart.Detection.Rules;
using Xunit.Abstractions;

namespace Smart.Detection.Tests;

/// <summary>The host's flood-onset rule on a cover's dense level series (<see cref="RuleState.SteepestOnset"/>).</summary>
public class FloodOnsetTests(ITestOutputHelper output)
{
    private static readonly ManholeRuleOptions Options = new();

    /// <summary>A noise-free dense series: <paramref name="flat"/> samples 2 s apart at 150 cm below the lid, then
    /// <paramref name="rising"/> samples with the water rising <paramref name="cmPerMin"/>.</summary>
    private static List<(long Ts, double Water)> Series(double cmPerMin, int flat = 40, int rising = 12) =>
        Enumerable.Range(0, flat + rising).Select(i =>
            (Readings.T0 + i * 2_000L, Math.Round(150 - cmPerMin * Math.Max(0, i - flat + 1) * 2 / 60.0, 6))).ToList();

    private static double ZAtEnd(IEnumerable<(long Ts, double Water)> series)
    {
        var state = new RuleState();
        foreach (var (ts, water) in series) state.AddTrend(ts, -water);
        return state.SteepestOnset(Options.FloodOnsetWindowMs, Options.FloodOnsetMinAfter, Options.FloodOnsetMaxAfter, Options.FloodRainMaxCmPerMin, Options.GaugeNoise,
            Options.FloodOnsetMisfit, Options.FloodOnsetZ).Z;
    }

    private static List<long> Warnings(IEnumerable<(long Ts, double Water)> series, DetectionEngine? engine = null)
    {
        engine ??= new DetectionEngine();
        return series.Where(r => engine.Process(Readings.Of(DeviceKind.Manhole, "M1", r.Ts, ("water_level_cm", r.Water))).Alerts
            .Any(a => a.IncidentType == IncidentTypes.ManholeFlood)).Select(r => r.Ts).ToList();
    }

    /// <summary>The rate at which the 12th rising sample's z is exactly the threshold (bisection; z grows with the rate).</summary>
    private static double ThresholdRate()
    {
        double lo = Options.FloodRainMaxCmPerMin, hi = 60;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            if (ZAtEnd(Series(mid)) >= Options.FloodOnsetZ) hi = mid; else lo = mid;
        }
        return hi;
    }

    [Fact]
    public void A_ramp_is_warned_only_when_its_rate_is_confidently_above_the_steepest_rain()
    {
        var at = ThresholdRate();
        Assert.InRange(at, Options.FloodRainMaxCmPerMin + 0.5, 8); // noise-free, so only the model's σ sets it
        Assert.Empty(Warnings(Series(at * 0.97)));
        Assert.Equal([Series(at * 1.03)[^1].Ts], Warnings(Series(at * 1.03)));
        Assert.Contains(Series(at)[^1].Ts, Warnings(Series(at)));
    }

    [Fact]
    public void Water_rising_as_fast_as_the_steepest_rain_is_never_warned()
    {
        var rain = Series(Options.FloodRainMaxCmPerMin, flat: 0, rising: 600); // 20 min at 2.5 cm/min, 150 → 100 cm
        Assert.True(ZAtEnd(rain) <= 1e-6);
        Assert.Empty(Warnings(rain));
    }

    [Fact]
    public void Sparse_reports_do_not_run_the_onset_test()
    {
        // Heartbeats a minute apart rising 4 cm each (4 cm/min, 4 cm per pair: below the two-report rule's 5 cm).
        var beats = Enumerable.Range(0, 20).Select(i => (Readings.T0 + i * 60_000L, 190.0 - 4 * i)).ToList();
        Assert.Empty(Warnings(beats));
    }

    [Fact]
    public void The_onset_state_survives_a_save_and_restore_identically()
    {
        var series = Series(ThresholdRate() * 1.03, rising: 12);
        var a = new DetectionEngine();
        var early = Warnings(series.Take(45), a);
        Assert.Empty(early);
        using var saved = new MemoryStream();
        a.SaveState(saved);
        saved.Position = 0;
        var b = new DetectionEngine();
        b.LoadState(saved);
        var restA = Warnings(series.Skip(45), a);
        Assert.Equal([series[^1].Ts], restA);
        Assert.Equal(restA, Warnings(series.Skip(45), b));
        Assert.Empty(Warnings(series.Skip(45), new DetectionEngine())); // the warning needs the saved baseline
    }

    [Fact]
    public void A_version_4_history_of_32_samples_is_read_in_order()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(0.0); w.Write(long.MinValue); w.Write(long.MinValue); w.Write(0); // CO dose, CO time, charge start, no counters
            w.Write(32); w.Write(5); // a full 32-sample ring whose oldest sample is at index 5
            for (var i = 0; i < 32; i++)
            {
                var age = (i - 5 + 32) % 32; // 0 = oldest
                w.Write(Readings.T0 + age * 10_000L); w.Write(-150.0 + age); // rising 1 cm per 10 s
            }
        }
        stream.Position = 0;
        var state = new RuleState();
        state.Read(new BinaryReader(stream), version: 4);
        Assert.Equal(10_000, state.LastGapMs);
        Assert.Equal(6, state.MaxRise(10_000, 310_000), 6); // 1 cm per 10 s = 6 cm/min between any two
        state.AddTrend(Readings.T0 + 320_000, -150.0 + 32);
        Assert.Equal(6, state.MaxRise(10_000, 330_000), 6);
    }

    /// <summary>Rain stress: covers whose water rises at 2.5 cm/min (above the steepest rise this catchment's rain gives,
    /// see ManholeOptions.FloodRainMaxCmPerMin) for an hour each, with the cover's real gauge noise (white plus correlated
    /// surface ripple), every 2-s sample reported (the cover in fast mode throughout: the worst case for the host).
    /// No flood warning may be raised.</summary>
    [Fact]
    public void The_steepest_rain_raises_no_flood_warning_over_hundreds_of_cover_hours()
    {
        var (zs, warnings, readings) = RainStress(Options, covers: 400);
        output.WriteLine(System.FormattableString.Invariant(
            $"{zs.Count} cover-hours, {readings} readings: hourly max z median {zs[zs.Count / 2]:0.00}, 99 % {zs[(int)(zs.Count * 0.99)]:0.00}, max {zs[^1]:0.00}; warnings {warnings}"));
        Assert.Equal(0, warnings);
    }

    /// <summary>Covers whose water rises at <paramref name="cmPerMin"/> for an hour each, every 2-s sample fed to the
    /// engine; each cover-hour's largest onset z (sorted), the flood warnings and the readings.</summary>
    internal static (List<double> HourlyMaxZ, int Warnings, long Readings) RainStress(ManholeRuleOptions options, int covers, double cmPerMin = 2.5, int seed = 0)
    {
        var zs = new List<double>();
        var warnings = 0;
        long readings = 0;
        for (var c = seed; c < seed + covers; c++)
        {
            var engine = new DetectionEngine(new DetectionOptions { Manhole = options });
            var state = new RuleState();
            var model = new FirmwareSim.Models.ManholeModel(new FirmwareSim.Models.SimEnvironment(c), new Random(c), new Random(~c));
            var zMax = double.NegativeInfinity;
            for (var t = Readings.T0; t < Readings.T0 + 3_600_000; t += 2_000)
            {
                model.SampleLevel(t).TryGetNumber("water_level_cm", out var w);
                var water = Math.Round(w - cmPerMin * (t - Readings.T0) / 60_000.0 + 160, 1);
                readings++;
                state.AddTrend(t, -water);
                var (z, _) = state.SteepestOnset(options.FloodOnsetWindowMs, options.FloodOnsetMinAfter, options.FloodOnsetMaxAfter,
                    options.FloodRainMaxCmPerMin, options.GaugeNoise, options.FloodOnsetMisfit, double.NegativeInfinity);
                zMax = Math.Max(zMax, z);
                if (engine.Process(Readings.Of(DeviceKind.Manhole, "M1", t, ("water_level_cm", water))).Alerts.Any(a => a.IncidentType == IncidentTypes.ManholeFlood)) warnings++;
            }
            zs.Add(zMax);
        }
        zs.Sort();
        return (zs, warnings, readings);
    }
}
