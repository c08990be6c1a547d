using System.Text.Json;
using FirmwareSim.Firmware;
using FirmwareSim.Models;
using FirmwareSim.Registry;
using FirmwareSim.Scenarios;
using FirmwareSim.Tests.Engine;
using Smart.Core;
using FieldType = FirmwareSim.Models.FieldType;

namespace FirmwareSim.Tests.Firmware;

/// <summary>The manhole cover's dense level (加密上报): the gauge pings every 2 s, a pre-trigger (the mean of the last 5
/// samples ≥ 1.5 cm closer to the lid than the mean of the 15 before) enters fast mode, which first uploads the samples
/// of the last 2 min not sent yet, oldest first (also those older than the last uplink), then reports every sample for
/// 20 s after the last trigger.</summary>
public class DenseLevelTests
{
    private static readonly DenseLevel Water = ManholeModel.Policy(1).Dense!;

    /// <summary>Feeds the distances to a fresh tracker; whether it was in fast mode after each.</summary>
    private static List<bool> Track(IEnumerable<double> waterCm)
    {
        var tracker = new DenseLevelTracker(Water);
        return waterCm.Select(tracker.Observe).ToList();
    }

    /// <summary>20 samples at 150 cm, then the water rising <paramref name="cmPerSample"/> per sample for
    /// <paramref name="rising"/> samples, then standing for <paramref name="still"/>.</summary>
    /// <summary>A sample of the level alone.</summary>
    private static Field[] Level(double waterCm) => [new("water_level_cm", FieldType.Number, waterCm, null, 1)];

    private static IEnumerable<double> Ramp(double cmPerSample, int rising = 30, int still = 0) =>
        Enumerable.Repeat(150.0, 20).Concat(Enumerable.Range(1, rising).Select(i => 150 - cmPerSample * i))
            .Concat(Enumerable.Repeat(150 - cmPerSample * rising, still));

    [Fact]
    public void The_cover_pings_its_gauge_every_2_s_and_its_other_sensors_every_10_s()
    {
        Assert.Equal(2_000, Water.SamplePeriodMs);
        Assert.Equal(10_000, ManholeModel.Policy(1).SamplePeriodMs);
        Assert.Equal(1_000, ManholeModel.Policy(0.5).Dense!.SamplePeriodMs);
    }

    [Theory]
    [InlineData(0.148, false)] // 4.44 cm/min at 2-s samples: the two means end 1.48 cm apart (their centres are 10 samples apart)
    [InlineData(0.152, true)]  // 4.56 cm/min: 1.52 cm apart
    public void A_sustained_rise_of_4_point_5_cm_per_minute_pre_triggers(double cmPerSample, bool fast) =>
        Assert.Equal(fast, Track(Ramp(cmPerSample)).Any(a => a));

    [Fact]
    public void Water_moving_away_from_the_lid_does_not_pre_trigger() => Assert.DoesNotContain(true, Track(Ramp(-1)));

    [Fact]
    public void Fast_mode_holds_ten_samples_after_the_last_trigger()
    {
        // One sample 8 cm closer to the lid: the recent mean is 1.6 cm closer for the 5 samples it is among the recent ones.
        var fast = Track(Enumerable.Repeat(150.0, 20).Append(142).Concat(Enumerable.Repeat(150.0, 30)));
        Assert.All(fast.Take(20), Assert.False);
        Assert.All(fast.Skip(20).Take(5 + 9), Assert.True); // triggered at samples 20..24, held 10 samples after the last
        Assert.All(fast.Skip(34), Assert.False);
    }

    [Fact]
    public void Gauge_noise_alone_pre_triggers_only_a_few_times_a_day()
    {
        // A day of 2-s pings of a still, dry sewer with the cover's real gauge noise (white plus surface ripple).
        var model = new ManholeModel(new SimEnvironment(1), new Random(11), new Random(12), new Random(13));
        var day = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var levels = Enumerable.Range(0, 43_200).Select(i =>
        {
            model.SampleLevel(day + i * 2_000L).TryGetNumber("water_level_cm", out var w);
            return w;
        });
        var fast = Track(levels);
        var entries = fast.Select((a, i) => a && (i == 0 || !fast[i - 1])).Count(e => e);
        Assert.InRange(entries, 0, 3); // 1.5 cm is ~4.4σ of the difference of the two means
    }

    [Fact]
    public void A_fast_sample_first_uploads_the_samples_kept_since_the_last_uplink_in_order()
    {
        var uplink = new DenseLevelUplink(Water);
        var publish = new List<(long Ms, Field[] Fields)>();
        Field[] At(double water) => [new("tilt_deg", FieldType.Number, 0.3, null, 2), new("water_level_cm", FieldType.Number, water, null, 1)];
        uplink.Take(0, At(150), reportAnyway: true, publish); // a heartbeat
        Assert.Equal([0L], publish.Select(p => p.Ms));
        publish.Clear();
        for (var i = 1; i <= 19; i++) uplink.Take(i * 2_000, At(150), reportAnyway: false, publish);
        Assert.Empty(publish);
        Assert.Equal(19, uplink.Kept);
        // The water jumps 8 cm toward the lid: the recent mean is 1.6 cm closer with one sample of the five.
        uplink.Take(40_000, At(142), reportAnyway: false, publish);
        Assert.True(uplink.Fast);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i * 2_000L), publish.Select(p => p.Ms));
        Assert.Equal(142, publish[^1].Fields[1].Value);
        Assert.Equal(0, uplink.Kept);
        publish.Clear();
        uplink.Take(42_000, At(142), reportAnyway: false, publish); // fast mode: every sample, alone
        Assert.Equal([42_000L], publish.Select(p => p.Ms));
    }

    [Fact]
    public void A_fast_sample_also_uploads_the_unsent_samples_from_before_the_last_uplink_oldest_first()
    {
        var uplink = new DenseLevelUplink(Water);
        var publish = new List<(long Ms, Field[] Fields)>();
        for (var i = 0; i < 30; i++) uplink.Take(i * 2_000, Level(150), reportAnyway: false, publish);
        uplink.Take(60_000, Level(150), reportAnyway: true, publish); // a heartbeat: sent alone
        Assert.Equal([60_000L], publish.Select(p => p.Ms));
        Assert.Equal(30, uplink.Kept);
        publish.Clear();
        for (var i = 31; i < 40; i++) uplink.Take(i * 2_000, Level(150), reportAnyway: false, publish);
        uplink.Take(80_000, Level(142), reportAnyway: false, publish); // the pre-trigger
        Assert.True(uplink.Fast);
        // The 30 samples before the heartbeat (older than it: out of ts order at the host), then the 10 after it.
        Assert.Equal(Enumerable.Range(0, 30).Concat(Enumerable.Range(31, 10)).Select(i => i * 2_000L), publish.Select(p => p.Ms));
        Assert.Equal(0, uplink.Kept);
    }

    [Fact]
    public void The_ring_keeps_the_last_two_minutes_and_drops_older_unsent_samples()
    {
        var uplink = new DenseLevelUplink(Water);
        var publish = new List<(long Ms, Field[] Fields)>();
        for (var i = 0; i < 100; i++) uplink.Take(i * 2_000, Level(150), reportAnyway: false, publish);
        Assert.Empty(publish);
        Assert.Equal(60, uplink.Kept);
        uplink.Take(200_000, Level(142), reportAnyway: false, publish);
        Assert.Equal(Enumerable.Range(41, 60).Select(i => i * 2_000L), publish.Select(p => p.Ms)); // 2 min: 60 samples with this one
    }

    [Fact]
    public void A_flooding_manhole_uploads_a_dense_series_with_every_field_and_each_sample_once()
    {
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var manhole = DeviceRegistry.Demo().First(d => d.Kind == DeviceKind.Manhole);
        ScenarioInstance? flood = null;
        var messages = TrafficEngineTests.Run(5, TimeSpan.FromMinutes(25), e => flood = e.Inject(Library.Scenarios["manhole-flooded"], start + 300_000, [manhole.Id]), [manhole]);
        var telemetry = messages.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
            .Select(m => (m.SimMs, Json: JsonDocument.Parse(m.Payload).RootElement)).ToList();
        var ts = telemetry.Select(m => m.Json.GetProperty("ts").GetInt64()).ToList();
        Assert.Equal(ts.Count, ts.Distinct().Count()); // every sample goes up once
        // Out of ts order only where an upload goes back before the last uplink, and never by more than the ring's 2 min.
        var latest = ts[0];
        var late = 0;
        foreach (var t in ts)
        {
            Assert.InRange(t, latest - 120_000, long.MaxValue);
            if (t < latest) late++;
            latest = Math.Max(latest, t);
        }
        Assert.InRange(late, 1, 60); // the flood's pre-trigger reached back before the last heartbeat
        Assert.All(telemetry, m => Assert.All(new[] { "tilt_deg", "displacement_mm", "water_level_cm", "ch4_pct_lel", "h2s_ppm", "lid_open" },
            f => Assert.True(m.Json.TryGetProperty(f, out _), $"no {f}")));
        var before = telemetry.Where(m => m.SimMs < flood!.OnsetMs).Select(m => m.SimMs).ToList();
        Assert.InRange(before.Count, 4, 12); // heartbeats (60 s ± 10 %); a rare noise pre-trigger adds a burst
        // The ramp (≥ 5.75 cm/min): the pre-trigger within ~30 s of onset, then every 2-s sample until 5 cm below the lid.
        // The upload of the kept samples: several messages sent at one moment.
        var firstBurst = telemetry.Where(m => m.SimMs >= flood!.OnsetMs).GroupBy(m => m.SimMs).First(g => g.Count() > 1);
        Assert.InRange(firstBurst.Key - flood!.OnsetMs, 0, 30_000);
        Assert.InRange(firstBurst.Count(), 2, 60);
        var ramp = telemetry.Where(m => m.SimMs >= flood.OnsetMs + 60_000 && m.SimMs < flood.OnsetMs + 1_100_000).Select(m => m.SimMs).ToList();
        Assert.All(ramp.Zip(ramp.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, 1, 2_000));
    }
}
