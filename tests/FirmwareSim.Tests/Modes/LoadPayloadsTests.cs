using System.Text.Json;
using FirmwareSim.Cli;
using FirmwareSim.Modes;
using FirmwareSim.Registry;
using Smart.Core;

namespace FirmwareSim.Tests.Modes;

public class LoadPayloadsTests
{
    [Theory]
    [InlineData(DeviceKind.Fire, new[] { "smoke_pct_per_m", "temp_c", "co_ppm" })]
    [InlineData(DeviceKind.Manhole, new[] { "tilt_deg", "displacement_mm", "water_level_cm", "ch4_pct_lel", "h2s_ppm", "lid_open" })]
    [InlineData(DeviceKind.Camera, new[] { "fps", "lens_blocked" })]
    [InlineData(DeviceKind.Charger, new[] { "port", "state", "voltage_v", "current_a", "power_w", "energy_wh", "temp_c", "leak_ma" })]
    public void Load_payloads_are_valid_telemetry_for_their_kind(DeviceKind kind, string[] fields)
    {
        var payload = LoadPayloads.Build(kind, 1_795_000_000_000, 42, -0.37);
        using var doc = JsonDocument.Parse(payload);
        Assert.Equal(1_795_000_000_000, doc.RootElement.GetProperty("ts").GetInt64());
        Assert.Equal(42, doc.RootElement.GetProperty("seq").GetInt64());
        foreach (var f in fields) Assert.True(doc.RootElement.TryGetProperty(f, out _), $"{kind} lacks {f}: {doc.RootElement}");
        Assert.Equal(fields.Length + 2, doc.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public void Load_devices_are_the_registry_first_then_synthetic_ones()
    {
        var registry = DeviceRegistry.Demo();
        var devices = LoadPayloads.Devices(registry, 10_000);
        Assert.Equal(10_000, devices.Select(d => d.Id).Distinct().Count());
        Assert.Equal(registry.Select(d => d.Id), devices.Take(registry.Count).Select(d => d.Id));
        Assert.All(devices, d => Assert.True(DeviceTopic.IsValidDeviceId(d.Id)));
    }

    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("500ms", 500)]
    [InlineData("00:10:00", 600_000)]
    public void Durations_parse_as_people_type_them(string text, long ms)
    {
        Assert.True(CliParsers.TryParseDuration(text, out var span));
        Assert.Equal(ms, (long)span.TotalMilliseconds);
    }

    [Fact]
    public void Nonsense_duration_is_rejected()
    {
        Assert.False(CliParsers.TryParseDuration("soon", out _));
        Assert.False(CliParsers.TryParseDuration("-5m", out _));
    }
}
