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

    private static double ZAtEnd(IEnumerable<(long Ts, double Water)> series, OnsetTest? test = null)
    {
        var state = new RuleState();
        foreach (var (ts, water) in series) state.AddTrend(ts, -water);
        return state.SteepestOnset(test ?? Options.FloodOnset, Options.GaugeNoise, Options.FloodOnsetZ).Z;
    }

    private static List<long> Warnings(IEnumerable<(long Ts, double Water)> series, DetectionEngine? engine = null)
    {
        engine ??= new DetectionEngine();
        return series.Where(r => engine.Process(Readings.Of(DeviceKind.Manhole, "M1", r.Ts, ("water_level_cm", r.Water))).Alerts
            .Any(a => a.IncidentType == IncidentTypes.ManholeFlood)).Select(r => r.Ts).ToList();
    }

    /// <summary>The rate at which the last of <paramref name="rising"/> rising samples' z is exactly the threshold
    /// (bisection; z grows with the rate).</summary>
    private static double ThresholdRate(OnsetTest? test = null, int rising = 12)
    {
        double lo = 0, hi = 60;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            if (ZAtEnd(Series(mid, rising: rising), test) >= Options.FloodOnsetZ) hi = mid; else lo = mid;
        }
        return hi;
    }

    [Fact]
    public void A_ramp_from_still_water_is_warned_once_either_test_is_confident()
    {
        var at = ThresholdRate();
        Assert.InRange(at, Options.FloodRainMaxCmPerMin + 0.5, 8); // noise-free, so only the model's σ sets it
        Assert.Empty(Warnings(Series(at * 0.97)));
        Assert.Equal([Series(at * 1.03)[^1].Ts], Warnings(Series(at * 1.03)));
        Assert.Contains(Series(at)[^1].Ts, Warnings(Series(at)));
    }

    [Fact]
    public void The_bend_test_warns_a_ramp_from_still_water_at_a_lower_rate_than_the_rate_test_alone()
    {
        var rateOnly = ThresholdRate(Options.FloodOnset with { BendPerMin2 = double.PositiveInfinity }, rising: 16);
        var bendOnly = ThresholdRate(Options.FloodOnset with { AllowedPerMin = double.PositiveInfinity }, rising: 16);
        var both = ThresholdRate(rising: 16);
        Assert.Equal(Math.Min(rateOnly, bendOnly), both, 6);
        Assert.True(bendOnly < rateOnly - 0.3, $"bend {bendOnly:0.00} cm/min, rate {rateOnly:0.00} cm/min");
        // What the bend test allows itself on this window: more than the worst bend rain can give over it.
        Assert.True(bendOnly > Options.FloodBendCmPerMin2, $"bend {bendOnly:0.00} cm/min");
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
    /// No flood warning may be raised; each test's hourly maximum z is printed.</summary>
    [Fact]
    public void The_steepest_rain_raises_no_flood_warning_over_hundreds_of_cover_hours() =>
        AssertNoWarnings(RainStress(Options, covers: 400, SteadyRain(Options.FloodRainMaxCmPerMin)), "steady 2.5 cm/min");

    /// <summary>Rain that starts and stops: the level's slope climbs from still to the steepest rain's 2.5 cm/min and back,
    /// bending at the most rain can bend it (<see cref="ManholeRuleOptions.FloodBendCmPerMin2"/>, up and down), held
    /// 0–3 min at each end, at a random phase per cover; every 2-s sample reported. No flood warning may be raised.</summary>
    [Fact]
    public void Rain_starting_and_stopping_at_its_steepest_bend_raises_no_flood_warning_over_hundreds_of_cover_hours() =>
        AssertNoWarnings(RainStress(Options, covers: 400, StartStopRain(Options.FloodRainMaxCmPerMin, Options.FloodBendCmPerMin2)), "rain starting and stopping");

    [Fact]
    public void A_bend_at_exactly_the_allowed_curvature_leaves_no_excess()
    {
        // Noise-free y = κ·t²/2 on 2-s samples: the bend test's estimate equals its allowance (z = 0); the rate test off.
        var test = Options.FloodOnset with { AllowedPerMin = double.PositiveInfinity };
        var state = new RuleState();
        for (var i = 0; i < 64; i++) state.AddTrend(Readings.T0 + i * 2_000L, Options.FloodBendCmPerMin2 * Math.Pow(i * 2 / 60.0, 2) / 2);
        Assert.Equal(0, state.SteepestOnset(test, Options.GaugeNoise, double.NegativeInfinity).Z, 6);
        // Twice the curvature: z > 0; a bend down: z < 0.
        var twice = new RuleState();
        var down = new RuleState();
        for (var i = 0; i < 64; i++)
        {
            twice.AddTrend(Readings.T0 + i * 2_000L, 2 * Options.FloodBendCmPerMin2 * Math.Pow(i * 2 / 60.0, 2) / 2);
            down.AddTrend(Readings.T0 + i * 2_000L, -Options.FloodBendCmPerMin2 * Math.Pow(i * 2 / 60.0, 2) / 2);
        }
        Assert.True(twice.SteepestOnset(test, Options.GaugeNoise, double.NegativeInfinity).Z > 0);
        Assert.True(down.SteepestOnset(test, Options.GaugeNoise, double.NegativeInfinity).Z < 0);
    }

    [Fact]
    public void The_least_variance_that_skips_the_exact_one_is_never_above_it()
    {
        // Windows of dense pings, heartbeats and late pings at odd offsets (times newest first, in s, ≤ 0) and the hinge
        // weights of any onset with random coefficients: the cheap bound never exceeds the exact variance. The bound's
        // worst case, weights alternating in sign, comes within 2 % of it on 64 pings 2 s apart (it is not loose).
        var rng = new Random(5);
        var noise = Options.GaugeNoise;
        for (var trial = 0; trial < 2_000; trial++)
        {
            var (t, minGap) = RandomWindow(rng);
            var n = t.Length;
            var k = rng.Next(1, n - 1);
            double g0 = rng.NextDouble() - 0.5, g1 = rng.NextDouble() - 0.5, g2 = rng.NextDouble() - 0.5;
            var squares = Enumerable.Range(0, n).Sum(i => Math.Pow(g0 + g1 * t[i] + (i < k ? g2 * (t[i] - t[k]) : 0), 2));
            OnsetEstimate[] one = [new() { G0 = g0, G1 = g1, G2 = g2, S = t[k], Count = n, After = k }];
            OnsetVariance.Compute(t, DecayOf(t), one, noise);
            Assert.True(RuleState.LeastVariance(noise, minGap) * squares <= one[0].Variance, $"trial {trial}");
        }
        var uniform = Enumerable.Range(0, 64).Select(i => -2.0 * i).ToArray();
        var decay = DecayOf(uniform);
        double alternating = 0, cross = 0, run = 0, previous = 0;
        for (var i = uniform.Length - 1; i >= 0; i--)
        {
            var w = i % 2 == 0 ? 1.0 : -1.0;
            if (i < uniform.Length - 1) run = (run + previous) * decay[i];
            cross += w * run;
            alternating += w * w;
            previous = w;
        }
        var exact = noise.WhiteSd * noise.WhiteSd * alternating + noise.CorrelatedSd * noise.CorrelatedSd * (alternating + 2 * cross);
        var ratio = exact / (RuleState.LeastVariance(noise, 2_000) * alternating);
        output.WriteLine($"64 pings 2 s apart, alternating weights: exact variance / bound = {ratio:0.0000}");
        Assert.InRange(ratio, 1, 1.02);
    }

    [Fact]
    public void Variances_computed_four_at_a_time_are_each_the_one_computed_alone_to_the_bit()
    {
        // Windows of dense pings, heartbeats and late pings at odd offsets, batches of 1–11 estimates over the whole
        // window or the newest part of it (the bend test's), any onset: each batched variance equals, to the bit, the
        // scalar recursion over that estimate alone (what the onset test computed before batching), and the direct
        // double sum Σ_i Σ_j w_i·w_j·cov(i, j) to rounding.
        var rng = new Random(7);
        var noise = Options.GaugeNoise;
        for (var trial = 0; trial < 1_000; trial++)
        {
            var (t, _) = RandomWindow(rng);
            var n = t.Length;
            var decay = DecayOf(t);
            var batch = new OnsetEstimate[rng.Next(1, 12)];
            for (var e = 0; e < batch.Length; e++)
            {
                var count = rng.Next(2) == 0 ? n : rng.Next(4, n + 1);
                var after = rng.Next(1, count - 2);
                batch[e] = new() { G0 = rng.NextDouble() - 0.5, G1 = rng.NextDouble() - 0.5, G2 = rng.NextDouble() - 0.5, S = t[after], Count = count, After = after };
            }
            OnsetVariance.Compute(t, decay, batch, noise);
            foreach (var e in batch)
            {
                var alone = Recursion(t.AsSpan(0, e.Count), decay, e, noise);
                Assert.True(BitConverter.DoubleToInt64Bits(alone) == BitConverter.DoubleToInt64Bits(e.Variance), $"trial {trial}: {alone:R} vs {e.Variance:R}");
                var direct = DoubleSum(t, e, noise);
                Assert.True(Math.Abs(direct - e.Variance) <= 1e-9 * direct, $"trial {trial}: {direct:R} vs {e.Variance:R}");
            }
        }
    }

    /// <summary>5–64 sample times, newest first, in s (≤ 0): dense pings 2 s apart, heartbeats 60 s apart and late pings
    /// at odd offsets, in random order; and the smallest gap (ms).</summary>
    private static (double[] T, long MinGapMs) RandomWindow(Random rng)
    {
        var t = new double[rng.Next(5, 65)];
        long ms = 0, minGap = long.MaxValue;
        for (var i = 1; i < t.Length; i++)
        {
            long gap = rng.Next(4) switch { 0 => 60_000, 1 => 1 + rng.Next(3_000), _ => 2_000 };
            minGap = Math.Min(minGap, gap);
            ms += gap;
            t[i] = -ms / 1000.0;
        }
        return (t, minGap);
    }

    /// <summary>The variance of one estimate by the scalar AR(1) recursion the onset test used before batching.</summary>
    private static double Recursion(ReadOnlySpan<double> t, double[] decay, OnsetEstimate e, SensorNoise noise)
    {
        double squares = 0, cross = 0, run = 0, previous = 0;
        for (var i = t.Length - 1; i >= 0; i--)
        {
            var w = e.G0 + e.G1 * t[i] + (i < e.After ? e.G2 * (t[i] - e.S) : 0);
            if (i < t.Length - 1) run = (run + previous) * decay[i];
            cross += w * run;
            squares += w * w;
            previous = w;
        }
        return noise.WhiteSd * noise.WhiteSd * squares + noise.CorrelatedSd * noise.CorrelatedSd * (squares + 2 * cross);
    }

    /// <summary>Σ_i Σ_j w_i·w_j·(σ_w²·[i = j] + σ_c²·e^(−|t_i − t_j|/τ)), O(samples²).</summary>
    private static double DoubleSum(double[] t, OnsetEstimate e, SensorNoise noise)
    {
        double W(int i) => e.G0 + e.G1 * t[i] + (i < e.After ? e.G2 * (t[i] - e.S) : 0);
        double sum = 0;
        for (var i = 0; i < e.Count; i++)
            for (var j = 0; j < e.Count; j++)
                sum += W(i) * W(j) * ((i == j ? noise.WhiteSd * noise.WhiteSd : 0)
                    + noise.CorrelatedSd * noise.CorrelatedSd * Math.Exp(-Math.Abs(t[i] - t[j]) / noise.CorrelationS));
        return sum;
    }

    private static double[] DecayOf(double[] t)
    {
        var decay = new double[t.Length];
        RuleState.Decay(t, decay, Options.GaugeNoise.CorrelationS);
        return decay;
    }

    private void AssertNoWarnings((List<double> RateZ, List<double> BendZ, int Warnings, long Readings) r, string what)
    {
        string Tail(List<double> zs) => System.FormattableString.Invariant($"median {zs[zs.Count / 2]:0.00}, 99 % {zs[(int)(zs.Count * 0.99)]:0.00}, max {zs[^1]:0.00}");
        output.WriteLine($"{what}: {r.RateZ.Count} cover-hours, {r.Readings} readings: hourly max z of the rate test {Tail(r.RateZ)}; of the bend test {Tail(r.BendZ)}; warnings {r.Warnings}");
        Assert.Equal(0, r.Warnings);
    }

    /// <summary>The level's rise (cm) at a time (ms from the start of a cover-hour) for a cover.</summary>
    internal delegate double RainRise(int cover, long ms);

    internal static RainRise SteadyRain(double cmPerMin) => (_, ms) => cmPerMin * ms / 60_000.0;

    /// <summary>The slope ramps 0 → <paramref name="cmPerMin"/> and back at <paramref name="bendPerMin2"/>, holding at
    /// either end for 0–3 min (per cover), a cycle starting at a random phase; the rise integrates the slope.</summary>
    internal static RainRise StartStopRain(double cmPerMin, double bendPerMin2) => (cover, ms) =>
    {
        var rng = new Random(cover * 7919 + 1);
        double rampMin = cmPerMin / bendPerMin2, holdHigh = rng.NextDouble() * 3, holdLow = rng.NextDouble() * 3, phase = rng.NextDouble();
        var cycle = 2 * rampMin + holdHigh + holdLow;
        // The rise over one cycle: two ramps (each half of cmPerMin over rampMin) and the high hold.
        var perCycle = cmPerMin * (rampMin + holdHigh);
        double RiseWithin(double x) => x switch
        {
            _ when x <= holdLow => 0,
            _ when x <= holdLow + rampMin => bendPerMin2 * Math.Pow(x - holdLow, 2) / 2,
            _ when x <= holdLow + rampMin + holdHigh => cmPerMin * rampMin / 2 + cmPerMin * (x - holdLow - rampMin),
            _ => cmPerMin * (rampMin / 2 + holdHigh) + cmPerMin * (x - holdLow - rampMin - holdHigh)
                - bendPerMin2 * Math.Pow(x - holdLow - rampMin - holdHigh, 2) / 2,
        };
        double Rise(double minutes) => Math.Floor(minutes / cycle) * perCycle + RiseWithin(minutes - Math.Floor(minutes / cycle) * cycle);
        return Rise(ms / 60_000.0 + phase * cycle) - Rise(phase * cycle);
    };

    /// <summary>Covers whose water rises by <paramref name="rise"/> for an hour each, every 2-s sample fed to the engine;
    /// each cover-hour's largest z of the rate test and of the bend test (each sorted), the flood warnings and the readings.</summary>
    internal static (List<double> RateZ, List<double> BendZ, int Warnings, long Readings) RainStress(ManholeRuleOptions options, int covers, RainRise rise, int seed = 0)
    {
        var rateZ = new List<double>();
        var bendZ = new List<double>();
        var warnings = 0;
        long readings = 0;
        var rateOnly = options.FloodOnset with { BendPerMin2 = double.PositiveInfinity };
        var bendOnly = options.FloodOnset with { AllowedPerMin = double.PositiveInfinity };
        for (var c = seed; c < seed + covers; c++)
        {
            var engine = new DetectionEngine(new DetectionOptions { Manhole = options });
            var state = new RuleState();
            var cover = new Random(c); // the cover's site and its sensors' noise from one stream
            var model = new FirmwareSim.Models.ManholeModel(new FirmwareSim.Models.SimEnvironment(c), cover, new Random(~c), cover);
            double rateMax = double.NegativeInfinity, bendMax = double.NegativeInfinity;
            for (var t = Readings.T0; t < Readings.T0 + 3_600_000; t += 2_000)
            {
                model.SampleLevel(t).TryGetNumber("water_level_cm", out var w);
                var water = Math.Round(w - rise(c, t - Readings.T0) + 160, 1);
                readings++;
                state.AddTrend(t, -water);
                rateMax = Math.Max(rateMax, state.SteepestOnset(rateOnly, options.GaugeNoise, double.NegativeInfinity).Z);
                bendMax = Math.Max(bendMax, state.SteepestOnset(bendOnly, options.GaugeNoise, double.NegativeInfinity).Z);
                if (engine.Process(Readings.Of(DeviceKind.Manhole, "M1", t, ("water_level_cm", water))).Alerts.Any(a => a.IncidentType == IncidentTypes.ManholeFlood)) warnings++;
            }
            rateZ.Add(rateMax);
            bendZ.Add(bendMax);
        }
        rateZ.Sort();
        bendZ.Sort();
        return (rateZ, bendZ, warnings, readings);
    }
}
