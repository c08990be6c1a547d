using FirmwareSim.Firmware;
using FirmwareSim.Models;
using FirmwareSim.Registry;
using FirmwareSim.Scenarios;
using FirmwareSim.Tests.Engine;
using Smart.Core;

namespace FirmwareSim.Tests.Firmware;

/// <summary>Densified reporting (加密上报) of the manhole cover: every 10-s sample is reported while the water rises
/// ≥ 1.5 cm between two 30-s means (~3 cm/min), and only then.</summary>
public class FastMoveTests
{
    private static readonly FastMove Water = new("water_level_cm", -1, 3, 1.5);

    private static Reading Sample(double waterCm) => new Reading(TopicChannel.Telemetry).Number("water_level_cm", waterCm, 1);

    /// <summary>Feeds the distances to a fresh tracker; whether it was in fast mode after each.</summary>
    private static List<bool> Track(IEnumerable<double> waterCm)
    {
        var tracker = new FastMoveTracker(Water);
        return waterCm.Select(w => tracker.Observe(Sample(w))).ToList();
    }

    /// <summary>Six samples at 150 cm, then the water rising <paramref name="cmPerSample"/> per sample for
    /// <paramref name="rising"/> samples, then standing for <paramref name="still"/>.</summary>
    private static IEnumerable<double> Ramp(double cmPerSample, int rising = 12, int still = 0) =>
        Enumerable.Repeat(150.0, 6).Concat(Enumerable.Range(1, rising).Select(i => 150 - cmPerSample * i))
            .Concat(Enumerable.Repeat(150 - cmPerSample * rising, still));

    [Theory]
    [InlineData(0.49, false)] // 2.94 cm/min at 10-s samples: the two 30-s means end 1.47 cm apart
    [InlineData(0.50, true)]  // 3 cm/min: 1.5 cm apart
    [InlineData(0.51, true)]
    public void A_sustained_rise_of_3_cm_per_minute_switches_to_reporting_every_sample(double cmPerSample, bool fast) =>
        Assert.Equal(fast, Track(Ramp(cmPerSample)).Any(a => a));

    [Fact]
    public void Water_moving_away_from_the_lid_is_not_a_fast_move() => Assert.DoesNotContain(true, Track(Ramp(-2)));

    [Fact]
    public void Fast_mode_ends_when_the_water_stops()
    {
        var fast = Track(Ramp(1, rising: 12, still: 10));
        Assert.True(fast[6 + 11]); // still rising at the last rising sample
        // The 30-s means lag: two more samples in fast mode after the water stands, then back to the normal policy.
        Assert.Equal([true, true, false, false, false, false, false, false, false, false], fast.Skip(6 + 12));
    }

    [Fact]
    public void Gauge_noise_alone_does_not_hold_fast_mode()
    {
        // A day of 10-s samples of a still sewer with the gauge's noise (σ 0.5 cm, seeded).
        var rng = new Random(11);
        var fast = Track(Enumerable.Range(0, 8640).Select(_ => 150 + 0.5 * Gaussian.Next(rng)));
        var runs = fast.Select((a, i) => (a, i)).Where(x => x.a && (x.i == 0 || !fast[x.i - 1])).Count();
        Assert.InRange(fast.Count(a => a), 0, 10); // ~1 a day expected (3.7σ of the difference of two means of 3)
        Assert.InRange(runs == 0 ? 0 : fast.Count(a => a) / runs, 0, 2);
    }

    [Fact]
    public void A_flooding_manhole_reports_every_sample_while_the_water_rises_fast()
    {
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var manhole = DeviceRegistry.Demo().First(d => d.Kind == DeviceKind.Manhole);
        ScenarioInstance? flood = null;
        var messages = TrafficEngineTests.Run(5, TimeSpan.FromMinutes(25), e => flood = e.Inject(Library.Scenarios["manhole-flooded"], start + 300_000, [manhole.Id]), [manhole]);
        var times = messages.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal)).Select(m => m.SimMs).ToList();
        var before = times.Where(t => t < flood!.OnsetMs).ToList();
        Assert.All(before.Zip(before.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, 9_000, 67_000));
        Assert.InRange(before.Count, 4, 7); // heartbeats (60 s ± 10 %), noise reports are rare
        // The ramp (≥ 5.75 cm/min, 20 min to 5 cm below the lid): fast mode within ~40 s of onset, then every 10-s sample
        // (the heartbeat's own sample falls in between).
        var ramp = times.Where(t => t >= flood!.OnsetMs + 60_000 && t < flood.OnsetMs + 1_100_000).ToList();
        Assert.All(ramp.Zip(ramp.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, 1, 10_000));
        Assert.InRange(ramp.Count, 104, 125);
        var firstFast = times.First(t => t > flood!.OnsetMs && times.Contains(t + 10_000) && times.Contains(t + 20_000));
        Assert.InRange(firstFast - flood!.OnsetMs, 0, 45_000);
    }
}
