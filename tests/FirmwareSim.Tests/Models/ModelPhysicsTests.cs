using System.Text.Json;
using FirmwareSim.Engine;
using FirmwareSim.Models;
using FirmwareSim.Registry;
using Smart.Core;

namespace FirmwareSim.Tests.Models;

public class ModelPhysicsTests
{
    private static readonly long Midnight = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    [Fact]
    public void Room_temperature_follows_the_daily_cycle()
    {
        var model = new FireDetectorModel(new SimEnvironment(1), new Random(1), new Random(101));
        double At(double hour)
        {
            var output = new List<Reading>();
            model.Sample(Midnight + (long)(hour * 3_600_000), output);
            output[0].TryGetNumber("temp_c", out var t);
            return t;
        }
        var dawn = At(5);
        var afternoon = At(15);
        Assert.InRange(dawn, 15, 25);
        Assert.InRange(afternoon - dawn, 2.5, 6); // 12 °C outdoor swing damped by the building
    }

    [Fact]
    public void Charger_session_charges_at_constant_power_then_tapers_to_full()
    {
        var port = new ChargerPort();
        var rng = new Random(5);
        Assert.True(port.ForceCharging(Midnight, rng));
        var powers = new List<double>();
        for (var t = 1; t <= 24 * 120 && port.State == "charging"; t++)
        {
            port.Step(Midnight + t * 30_000L, 30, 0, rng);
            powers.Add(port.PowerW);
        }
        Assert.Equal("full", port.State);
        Assert.InRange(powers[0], 170, 260);
        Assert.InRange(powers.Count * 30 / 3600.0, 1, 12); // a session lasts hours, not minutes or days
        Assert.True(powers.Zip(powers.Skip(1)).All(p => p.Second <= p.First + 1e-9), "power never rises during a session");
        Assert.True(port.EnergyWh > 100);
        Assert.InRange(port.RiseC, 0, 10);
    }

    [Fact]
    public void Manhole_water_rises_toward_the_lid_when_it_rains()
    {
        var env = new SimEnvironment(3);
        var rainy = Enumerable.Range(0, 60).Select(d => Midnight + d * 86_400_000L)
            .SelectMany(day => Enumerable.Range(0, 96).Select(q => day + q * 900_000L))
            .First(t => env.RainMmPerHour(t) > 8);
        var model = new ManholeModel(env, new Random(2), new Random(3), new Random(4));
        var distances = new List<double>();
        for (var t = rainy - 4 * 3_600_000L; t < rainy + 3_600_000L; t += 60_000)
        {
            var output = new List<Reading>();
            model.Sample(t, output);
            output[0].TryGetNumber("water_level_cm", out var d);
            distances.Add(d);
        }
        Assert.True(distances.Min() < distances[0] - 10, $"water did not rise: {distances[0]} → {distances.Min()}");
    }

    /// <summary>The premise of the host's flood rule and of the cover's fast mode: rain fills the sewer slower than a
    /// surcharge (≥ 5 cm/min). Over 2 000 simulated days (~800 with showers), minute by minute.</summary>
    [Fact]
    public void Rain_never_raises_a_manhole_faster_than_2_point_5_cm_per_minute()
    {
        var env = new SimEnvironment(5);
        double rise = 0, steepest = 0;
        for (var t = Midnight; t < Midnight + 2_000 * 86_400_000L; t += 60_000)
        {
            var next = ManholeModel.RainRise(rise, env.RainMmPerHour(t), 60);
            steepest = Math.Max(steepest, next - rise);
            rise = next;
        }
        Assert.InRange(steepest, 1, 2.5);
    }

    /// <summary>The premise of the host's bend test (ManholeRuleOptions.FloodBendCmPerMin2, 0.5 cm/min²): rain bends the
    /// level's slope gradually; a surcharge bends it by its whole rate at once. Over 2 000 simulated days, 10 s by 10 s,
    /// the slope's largest change within a minute.</summary>
    [Fact]
    public void Rain_never_bends_a_manholes_rise_by_more_than_half_a_cm_per_minute_within_a_minute()
    {
        var env = new SimEnvironment(5);
        const int StepsPerMinute = 6;
        double rise = 0, steepest = 0;
        var slopes = new Queue<double>(); // cm/min over each 10-s step of the last minute
        for (var t = Midnight; t < Midnight + 2_000 * 86_400_000L; t += 10_000)
        {
            var next = ManholeModel.RainRise(rise, env.RainMmPerHour(t), 10);
            slopes.Enqueue((next - rise) * StepsPerMinute);
            rise = next;
            if (slopes.Count <= StepsPerMinute) continue;
            var oldest = slopes.Dequeue();
            steepest = Math.Max(steepest, slopes.Last() - oldest);
        }
        Assert.InRange(steepest, 0.01, 0.5);
    }

    [Fact]
    public void Cut_power_stops_charging_on_that_port_and_reports_it()
    {
        var devices = DeviceRegistry.Demo().Where(d => d.Id == "chg-g1-b1-1").ToList();
        var engine = new TrafficEngine(devices, 1, Midnight);
        var charger = (ChargerModel)engine.ModelOf(0);
        charger.Port(3).ForceCharging(Midnight, new Random(1));
        var output = new List<SimMessage>();
        engine.Advance(Midnight + 120_000, output);
        output.Clear();
        engine.Command(0, """{"cmd":"cut_power","port":3}"""u8, Midnight + 130_000, output);
        var events = output.Select(m => (m.Topic, Json: JsonDocument.Parse(m.Payload).RootElement)).ToList();
        Assert.Contains(events, e => e.Topic.EndsWith("/event", StringComparison.Ordinal) && e.Json.GetProperty("type").GetString() == "fault" && e.Json.GetProperty("port").GetInt32() == 3);
        var report = Assert.Single(events, e => e.Topic.EndsWith("/telemetry", StringComparison.Ordinal));
        Assert.Equal(3, report.Json.GetProperty("port").GetInt32());
        Assert.Equal("idle", report.Json.GetProperty("state").GetString());
        Assert.Equal(0, report.Json.GetProperty("current_a").GetDouble());

        // Later samples keep port 3 off, and no new session starts on it.
        output.Clear();
        engine.Advance(Midnight + 4 * 3_600_000, output);
        var port3 = output.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
            .Select(m => JsonDocument.Parse(m.Payload).RootElement).Where(r => r.GetProperty("port").GetInt32() == 3).ToList();
        Assert.NotEmpty(port3);
        Assert.All(port3, r => Assert.Equal(0, r.GetProperty("power_w").GetDouble()));
    }

    [Fact]
    public void Silence_hushes_the_local_smoke_alarm_but_not_heat()
    {
        var model = new FireDetectorModel(new SimEnvironment(1), new Random(1), new Random(101));
        var output = new List<Reading>();
        model.Command("silence", 0, Midnight, output);
        var smoky = new Reading(TopicChannel.Telemetry).Number("smoke_pct_per_m", 10).Number("temp_c", 25).Number("co_ppm", 1);
        model.EvaluateAlarm(smoky, Midnight + 60_000);
        Assert.True(smoky.TryGetNumber("alarm", out var a) && a == 0);
        var hot = new Reading(TopicChannel.Telemetry).Number("smoke_pct_per_m", 10).Number("temp_c", 70).Number("co_ppm", 1);
        model.EvaluateAlarm(hot, Midnight + 60_000);
        Assert.True(hot.TryGetNumber("alarm", out var b) && b == 1);
        var later = new Reading(TopicChannel.Telemetry).Number("smoke_pct_per_m", 10).Number("temp_c", 25).Number("co_ppm", 1);
        model.EvaluateAlarm(later, Midnight + 11 * 60_000); // EN 14604: hush lasts at most 10 minutes
        Assert.True(later.TryGetNumber("alarm", out var c) && c == 1);
    }

    [Fact]
    public void Falling_object_track_falls_under_gravity()
    {
        var camera = new CameraModel(new Random(1), 18, "cam-x");
        var e = camera.FallingObject(Midnight, 0.93, 9, new Random(2));
        using var doc = JsonDocument.Parse(PayloadWriter.Write(e, Midnight, 1));
        var track = doc.RootElement.GetProperty("track").EnumerateArray().Select(p => (Y: p[1].GetDouble(), Ms: p[2].GetInt32())).ToList();
        Assert.InRange(track[^1].Ms, 2000, 2500); // √(2·26 m / g) ≈ 2.3 s from the 9th floor
        Assert.True(track.Zip(track.Skip(1)).All(p => p.Second.Y >= p.First.Y), "y never moves up");
        Assert.True(track[^1].Y - track[0].Y > 400, "the object crosses most of the facade");
        Assert.Equal(9, doc.RootElement.GetProperty("floor_est").GetInt32());
        Assert.Equal("falling_object", doc.RootElement.GetProperty("type").GetString());
    }
}
