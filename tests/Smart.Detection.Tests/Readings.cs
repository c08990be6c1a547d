using Smart.Core;
using Smart.Detection;

namespace Smart.Detection.Tests;

/// <summary>Builds readings the way the host does (DESIGN §5 field names).</summary>
internal static class Readings
{
    public const long T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    public static ReadingInput Fire(string id, long ts, double smoke = 0.1, double temp = 22, double co = 0, string building = "B1") =>
        new(id, DeviceKind.Fire, building, ts, [new("smoke_pct_per_m", smoke), new("temp_c", temp), new("co_ppm", co)]);

    public static ReadingInput Of(DeviceKind kind, string id, long ts, params (string Name, double Value)[] fields) =>
        new(id, kind, "B1", ts, fields.Select(f => new Metric(f.Name, f.Value)).ToList());

    public static ReadingInput Charger(string id, long ts, string state, double temp, double current = 2, double leak = 1, double port = 3) =>
        new(id, DeviceKind.Charger, "B1", ts,
            [new("port", port), new("voltage_v", 220), new("current_a", current), new("power_w", 220 * current), new("temp_c", temp), new("leak_ma", leak)], state);

    public static IEnumerable<string> Types(this DetectionResult r) => r.Alerts.Select(a => a.IncidentType);
}
