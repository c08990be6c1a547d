using System.Text.Json;
using FirmwareSim.Engine;
using FirmwareSim.Registry;
using FirmwareSim.Scenarios;
using FirmwareSim.Tests.Engine;

namespace FirmwareSim.Tests.Scenarios;

public class ScenarioTests
{
    private static readonly long Start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Every_shipped_scenario_loads_and_names_known_incident_types()
    {
        var names = Library.Scenarios.Names;
        foreach (var required in new[] { "fire-building", "smouldering", "co-leak", "manhole-lifted", "manhole-flooded", "manhole-gas",
                     "falling-object", "charger-overheat", "charger-thermal-runaway", "sensor-stuck", "device-dead", "flapping", "bad-input" })
            Assert.Contains(required, names);
        Assert.All(Library.Scenarios.All, s => Assert.All(s.Expect, x => Assert.Contains(x.Type, GroundTruth.IncidentTypes)));
    }

    [Fact]
    public void Invalid_scenario_file_is_rejected_with_the_reason()
    {
        var e = Assert.Throws<InvalidDataException>(() => ScenarioLibrary.Parse("""{"name":"x","target":{"kind":"lamp"},"expect":[{"type":"fire.smoke"}]}""", "x.json"));
        Assert.Contains("lamp", e.Message);
        e = Assert.Throws<InvalidDataException>(() => ScenarioLibrary.Parse("""{"name":"x","expect":[{"type":"fire.hot"}]}""", "y.json"));
        Assert.Contains("fire.hot", e.Message);
        e = Assert.Throws<InvalidDataException>(() => ScenarioLibrary.Parse("""{"name":"x","colour":"red","expect":[{"type":"none"}]}""", "z.json"));
        Assert.Contains("z.json", e.Message);
    }

    [Fact]
    public void Fire_in_a_building_hits_neighbouring_detectors_and_its_ground_truth_matches()
    {
        ScenarioInstance? fire = null;
        var messages = TrafficEngineTests.Run(5, TimeSpan.FromMinutes(20), e => fire = e.Inject(Library.Scenarios["fire-building"], Start + 120_000));
        Assert.NotNull(fire);
        Assert.Equal(3, fire.DeviceIds.Count);
        Assert.All(fire.DeviceIds, id => Assert.StartsWith($"fire-{fire.Building}-", id));

        var truth = fire.GroundTruth().ToList();
        Assert.Equal(7, truth.Count); // smoke ×3, heat ×3, confirmed ×1
        Assert.Equal(fire.DeviceIds, truth.Where(r => r.Expected == "fire.smoke").Select(r => r.Device));
        Assert.Equal([Start + 120_000, Start + 165_000, Start + 210_000], truth.Where(r => r.Expected == "fire.smoke").Select(r => r.StartMs));
        Assert.All(truth, r => Assert.Equal(Start + 120_000 + 900_000, r.EndMs));

        // What was injected is what was sent: target smoke rises past the local alarm level with the alarm on,
        // while every other detector stays clean.
        foreach (var m in messages.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal) && m.Topic.Contains("/fire/")))
        {
            var device = m.Topic.Split('/')[3];
            using var doc = JsonDocument.Parse(m.Payload);
            var smoke = doc.RootElement.GetProperty("smoke_pct_per_m").GetDouble();
            var n = fire.DeviceIds.ToList().IndexOf(device);
            if (n >= 0 && m.SimMs >= fire.DeviceOnsetMs(n) + 120_000 && m.SimMs <= fire.EndMs)
            {
                Assert.InRange(smoke, 15, 21);
                Assert.True(doc.RootElement.GetProperty("alarm").GetBoolean());
            }
            else if (n < 0 || m.SimMs < fire.DeviceOnsetMs(n))
            {
                Assert.InRange(smoke, 0, 0.2);
            }
        }
    }

    [Theory]
    [InlineData("co-leak", "co_ppm", 200)]
    [InlineData("manhole-gas", "ch4_pct_lel", 30)]
    [InlineData("charger-overheat", "temp_c", 70)]
    [InlineData("charger-leakage", "leak_ma", 32)]
    public void Scenario_drives_its_metric_past_the_alarm_level(string scenario, string metric, double atLeast)
    {
        ScenarioInstance? s = null;
        var messages = TrafficEngineTests.Run(9, TimeSpan.FromMinutes(20), e => s = e.Inject(Library.Scenarios[scenario], Start + 60_000));
        var device = s!.DeviceIds[0];
        var late = messages.Where(m => m.Topic == $"smart/v1/{s.Kind}/{device}/telemetry" && m.SimMs > s.OnsetMs + 900_000 && m.SimMs <= s.EndMs)
            .Select(m => JsonDocument.Parse(m.Payload).RootElement)
            .Where(r => s.Port == 0 || r.GetProperty("port").GetInt32() == s.Port)
            .Select(r => r.GetProperty(metric).GetDouble()).ToList();
        Assert.NotEmpty(late);
        Assert.All(late, v => Assert.True(v >= atLeast, $"{scenario}: {metric}={v} < {atLeast}"));
    }

    [Fact]
    public void Sensor_stuck_repeats_the_exact_same_values()
    {
        ScenarioInstance? s = null;
        var messages = TrafficEngineTests.Run(9, TimeSpan.FromMinutes(30), e => s = e.Inject(Library.Scenarios["sensor-stuck"], Start + 60_000));
        var temps = messages.Where(m => m.Topic.EndsWith($"/{s!.DeviceIds[0]}/telemetry", StringComparison.Ordinal) && m.SimMs >= s.OnsetMs)
            .Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("temp_c").GetDouble()).ToList();
        Assert.True(temps.Count > 40);
        Assert.Single(temps.Distinct());
    }

    [Fact]
    public void Device_dead_goes_silent_for_the_window_and_comes_back()
    {
        ScenarioInstance? s = null;
        var messages = TrafficEngineTests.Run(9, TimeSpan.FromMinutes(40), e => s = e.Inject(Library.Scenarios["device-dead"], Start + 60_000));
        var index = messages.First(x => x.Topic.Contains($"/{s!.DeviceIds[0]}/", StringComparison.Ordinal)).Device;
        var mine = messages.Where(m => m.Device == index).ToList();
        Assert.Contains(mine, m => m.Action == SimAction.Die && m.SimMs == s!.OnsetMs);
        Assert.Contains(mine, m => m.Action == SimAction.Revive && m.SimMs == s!.EndMs);
        Assert.DoesNotContain(mine, m => m.Action == SimAction.Publish && m.SimMs > s!.OnsetMs && m.SimMs < s.EndMs);
        Assert.Contains(mine, m => m.Action == SimAction.Publish && m.SimMs > s!.EndMs);
    }

    [Fact]
    public void Bad_input_sends_every_variant_marked_invalid()
    {
        var messages = TrafficEngineTests.Run(9, TimeSpan.FromMinutes(3), e => e.Inject(Library.Scenarios["bad-input"], Start + 10_000));
        var bad = messages.Where(m => m.Invalid).ToList();
        Assert.Equal(7, bad.Count);
        Assert.Contains(bad, m => m.Payload.Length > 8 * 1024);
        Assert.Contains(bad, m => !m.Topic.StartsWith("smart/v1/fire/", StringComparison.Ordinal) || !m.Topic.EndsWith("/telemetry", StringComparison.Ordinal));
        Assert.Contains(bad, m => { try { JsonDocument.Parse(m.Payload); return false; } catch (JsonException) { return true; } });
    }

    [Fact]
    public async Task Ground_truth_csv_round_trips()
    {
        using var dir = new Smart.Testing.TempDirectory();
        var engine = new TrafficEngine(DeviceRegistry.Demo(), 3, Start);
        foreach (var name in Library.Scenarios.Names.Order()) engine.Inject(Library.Scenarios[name], Start + 1000);
        var rows = engine.GroundTruth().ToList();
        var path = dir.File("truth.csv");
        await GroundTruth.WriteAsync(path, rows);
        Assert.Equal(rows, GroundTruth.ReadCsv(path));
        Assert.Equal(Library.Scenarios.Names.Count, rows.Select(r => r.Instance).Distinct().Count());
    }
}
