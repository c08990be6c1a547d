namespace Smart.Core;

public enum FieldType { Number, Integer, Boolean, Text }

/// <summary>A telemetry field of DESIGN §5; the name carries its unit.</summary>
public sealed record FieldSpec(string Name, FieldType Type, bool Required);

/// <summary>The telemetry contract per device kind (DESIGN §5), shared by the bridge, the simulator and detection.</summary>
public static class TelemetrySchema
{
    /// <summary>Largest accepted payload (DESIGN §5).</summary>
    public const int MaxPayloadBytes = 8 * 1024;

    /// <summary>Fields any device may send.</summary>
    public static IReadOnlyList<FieldSpec> Common { get; } =
    [
        new("ts", FieldType.Integer, false), new("seq", FieldType.Integer, false),
        new("battery_pct", FieldType.Number, false), new("rssi_dbm", FieldType.Number, false),
    ];

    public static IReadOnlyList<FieldSpec> For(DeviceKind kind) => kind switch
    {
        DeviceKind.Fire => Fire,
        DeviceKind.Manhole => Manhole,
        DeviceKind.Camera => Camera,
        DeviceKind.Charger => Charger,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static readonly FieldSpec[] Fire =
    [
        new("smoke_pct_per_m", FieldType.Number, true), new("temp_c", FieldType.Number, true),
        new("co_ppm", FieldType.Number, true), new("alarm", FieldType.Boolean, false),
    ];

    private static readonly FieldSpec[] Manhole =
    [
        new("tilt_deg", FieldType.Number, true), new("displacement_mm", FieldType.Number, true),
        new("water_level_cm", FieldType.Number, true), new("ch4_pct_lel", FieldType.Number, true),
        new("h2s_ppm", FieldType.Number, true), new("lid_open", FieldType.Boolean, true),
    ];

    private static readonly FieldSpec[] Camera = [new("fps", FieldType.Number, true), new("lens_blocked", FieldType.Boolean, true)];

    // `port` is a tag of the charger measurement (DESIGN §6), not a field.
    private static readonly FieldSpec[] Charger =
    [
        new("port", FieldType.Integer, true), new("state", FieldType.Text, true), new("voltage_v", FieldType.Number, true),
        new("current_a", FieldType.Number, true), new("power_w", FieldType.Number, true), new("energy_wh", FieldType.Number, true),
        new("temp_c", FieldType.Number, true), new("leak_ma", FieldType.Number, true),
    ];

    /// <summary>Charger <c>state</c> values.</summary>
    public static IReadOnlyList<string> ChargerStates { get; } = ["idle", "charging", "full", "fault"];
}
