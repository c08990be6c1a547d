namespace Smart.Detection;

/// <summary>Incident type names shared with Smart.Incidents, and their default severity.</summary>
public static class IncidentTypes
{
    public const string FireSmoke = "fire.smoke";
    public const string FireHeat = "fire.heat";
    public const string FireCo = "fire.co";
    /// <summary>Layer 3: two or more fire detectors of one building within minutes.</summary>
    public const string FireConfirmed = "fire.confirmed";
    public const string FireDeviceAlarm = "fire.device_alarm";
    public const string FireAlarmButton = "fire.alarm_button";
    public const string ManholeTilt = "manhole.tilt";
    public const string ManholeDisplaced = "manhole.displaced";
    public const string ManholeOpen = "manhole.open";
    public const string ManholeFlood = "manhole.flood";
    public const string ManholeGas = "manhole.gas";
    public const string CameraFallingObject = "camera.falling_object";
    public const string CameraBlocked = "camera.blocked";
    public const string ChargerOverheat = "charger.overheat";
    public const string ChargerOvercurrent = "charger.overcurrent";
    public const string ChargerLeakage = "charger.leakage";
    public const string ChargerLongCharge = "charger.long_charge";
    public const string ChargerThermalRunaway = "charger.thermal_runaway";
    public const string DeviceOffline = "device.offline";
    public const string SensorStuck = "sensor.stuck";
    /// <summary>Layer 2 statistical anomaly, raised only when sustained (see <see cref="StatisticalOptions"/>).</summary>
    public const string SensorAnomaly = "sensor.anomaly";

    /// <summary>Default severity per type. Life-safety findings that need no confirmation are P1; single-sensor
    /// hazards that a grid worker must check on site are P2; property/equipment issues P3; housekeeping P4.</summary>
    public static IReadOnlyDictionary<string, Severity> DefaultSeverity { get; } = new Dictionary<string, Severity>
    {
        [FireConfirmed] = Severity.P1,        // two detectors agree: a fire, call 119
        [FireAlarmButton] = Severity.P1,      // a person pressed a manual call point
        [FireCo] = Severity.P1,               // UL 2034 alarm point ≈ 10 % COHb: people are being poisoned
        [ChargerThermalRunaway] = Severity.P1,// e-bike battery fires spread in minutes; power is cut too
        [FireSmoke] = Severity.P2,            // one detector: verify on site (most single alarms are nuisance)
        [FireHeat] = Severity.P2,
        [FireDeviceAlarm] = Severity.P2,
        [ManholeOpen] = Severity.P2,          // a pedestrian can fall in
        [ManholeDisplaced] = Severity.P2,
        [ManholeFlood] = Severity.P2,
        [ManholeGas] = Severity.P2,           // escalated to P1 above the high gas alarm
        [CameraFallingObject] = Severity.P2,
        [ChargerOverheat] = Severity.P2,
        [ChargerLeakage] = Severity.P2,
        [ManholeTilt] = Severity.P3,
        [CameraBlocked] = Severity.P3,
        [ChargerOvercurrent] = Severity.P3,
        [DeviceOffline] = Severity.P3,
        [ChargerLongCharge] = Severity.P4,
        [SensorStuck] = Severity.P4,
        [SensorAnomaly] = Severity.P4,
    };

    public static Severity SeverityOf(string type) =>
        DefaultSeverity.TryGetValue(type, out var s) ? s : throw new ArgumentException($"Unknown incident type '{type}'.", nameof(type));
}
