namespace Smart.Core.Incidents;

/// <summary>
/// Incident type strings shared by detection (which raises them) and the incident workflow (whose SLA policy
/// gives each its time limits). A type is <c>{family}.{what}</c>; the family is the device kind for device types.
/// </summary>
public static class IncidentTypes
{
    public const string FireSmoke = "fire.smoke";
    public const string FireHeat = "fire.heat";
    public const string FireCo = "fire.co";
    /// <summary>Several detectors in one building agree (DESIGN §7 layer 3).</summary>
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
    public const string SensorAnomaly = "sensor.anomaly";
    /// <summary>随手拍: reported by a person, not a device.</summary>
    public const string ManualReport = "manual.report";

    public static IReadOnlyList<string> All { get; } =
    [
        FireSmoke, FireHeat, FireCo, FireConfirmed, FireDeviceAlarm, FireAlarmButton,
        ManholeTilt, ManholeDisplaced, ManholeOpen, ManholeFlood, ManholeGas,
        CameraFallingObject, CameraBlocked,
        ChargerOverheat, ChargerOvercurrent, ChargerLeakage, ChargerLongCharge, ChargerThermalRunaway,
        DeviceOffline, SensorStuck, SensorAnomaly, ManualReport,
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string type) => Known.Contains(type);

    public static bool IsFire(string type) => type.StartsWith("fire.", StringComparison.Ordinal);

    /// <summary>The findings one visit to a device handles together, which one open incident of the device takes: a fire
    /// detector's smoke, heat, CO and own alarm; a manhole cover's lid open, displaced, tilted, water and gas; a
    /// charger's overheat, over-current, leakage and runaway. Not a camera's (a thrown object is about the facade, a
    /// blocked lens about the camera), nor <c>device.*</c>, <c>sensor.*</c> or manual reports: empty for those.</summary>
    public static IReadOnlyList<string> FamilyOf(string type) => Families.GetValueOrDefault(type, []);

    private static readonly Dictionary<string, IReadOnlyList<string>> Families = FamiliesOf("fire.", "manhole.", "charger.");

    /// <summary>The types of a device's open incident that a finding of this type joins (same device): its family, and
    /// the device's statistical anomaly (<see cref="SensorAnomaly"/>) — the detector that saw a metric move first and the
    /// rule that then tripped on it are one visit (a leak current drifting up, then the 30 mA leakage); a statistical
    /// anomaly joins the device's incident of any family. Empty for a type that joins none (cameras, <c>device.*</c>,
    /// <c>sensor.stuck</c>, manual reports).</summary>
    public static IReadOnlyList<string> JoinedOnDevice(string type) => DeviceJoins.GetValueOrDefault(type, []);

    private static readonly Dictionary<string, IReadOnlyList<string>> DeviceJoins = DeviceJoinsOf();

    private static Dictionary<string, IReadOnlyList<string>> DeviceJoinsOf()
    {
        var joins = Families.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)[.. f.Value, SensorAnomaly], StringComparer.Ordinal);
        joins[SensorAnomaly] = [.. Families.Keys];
        return joins;
    }

    private static Dictionary<string, IReadOnlyList<string>> FamiliesOf(params string[] prefixes)
    {
        var families = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var prefix in prefixes)
        {
            IReadOnlyList<string> family = [.. All.Where(t => t.StartsWith(prefix, StringComparison.Ordinal))];
            foreach (var type in family) families[type] = family;
        }
        return families;
    }

    /// <summary>The severity a type gets when the raiser proposes none. Life-safety findings that need no
    /// confirmation are P1; single-sensor hazards a grid worker must check on site are P2; property and equipment
    /// issues P3; housekeeping P4.</summary>
    public static Severity DefaultSeverity(string type) => type switch
    {
        // two detectors agree (call 119); a person pressed a call point; UL 2034 alarm point ≈ 10 % COHb;
        // e-bike battery fires spread in minutes (power is cut too)
        FireConfirmed or FireAlarmButton or FireCo or ChargerThermalRunaway => Severity.P1,
        // one detector: verify on site (most single alarms are nuisance); a pedestrian can fall into an open manhole;
        // gas is escalated to P1 by the rule above its high alarm
        FireSmoke or FireHeat or FireDeviceAlarm or ManholeOpen or ManholeDisplaced or ManholeFlood or ManholeGas
            or CameraFallingObject or ChargerOverheat or ChargerLeakage => Severity.P2,
        ManholeTilt or CameraBlocked or ChargerOvercurrent or DeviceOffline or ManualReport => Severity.P3,
        _ => Severity.P4,
    };
}

/// <summary>Human titles of incident types: zh-CN first, English after — the names the screens show (dashboards/shared/i18n.js
/// <c>TYPE</c>; a dashboard test keeps the two the same, and the ops-centre feed strips them from a title to show what it adds).</summary>
public static class IncidentTitles
{
    private static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        [IncidentTypes.FireSmoke] = "烟雾报警 Smoke alarm",
        [IncidentTypes.FireHeat] = "温度报警 Heat alarm",
        [IncidentTypes.FireCo] = "一氧化碳报警 CO alarm",
        [IncidentTypes.FireConfirmed] = "确认火警 Confirmed fire",
        [IncidentTypes.FireDeviceAlarm] = "设备本地报警 Detector local alarm",
        [IncidentTypes.FireAlarmButton] = "手动报警按钮 Manual call point",
        [IncidentTypes.ManholeTilt] = "井盖倾斜 Manhole cover tilted",
        [IncidentTypes.ManholeDisplaced] = "井盖位移 Manhole cover displaced",
        [IncidentTypes.ManholeOpen] = "井盖开启 Manhole cover open",
        [IncidentTypes.ManholeFlood] = "井下水位过高 Sewer flooding",
        [IncidentTypes.ManholeGas] = "井下可燃/有毒气体 Sewer gas build-up",
        [IncidentTypes.CameraFallingObject] = "高空抛物 Object thrown from height",
        [IncidentTypes.CameraBlocked] = "摄像头遮挡 Camera blocked",
        [IncidentTypes.ChargerOverheat] = "充电桩过温 Charger over-temperature",
        [IncidentTypes.ChargerOvercurrent] = "充电桩过流 Charger over-current",
        [IncidentTypes.ChargerLeakage] = "充电桩漏电 Charger leakage current",
        [IncidentTypes.ChargerLongCharge] = "充电时间过长 Charging too long",
        [IncidentTypes.ChargerThermalRunaway] = "电池热失控 Battery thermal runaway",
        [IncidentTypes.DeviceOffline] = "设备离线 Device offline",
        [IncidentTypes.SensorStuck] = "传感器数值卡滞 Sensor stuck",
        [IncidentTypes.SensorAnomaly] = "数据异常 Sensor anomaly",
        [IncidentTypes.ManualReport] = "随手拍上报 Manual report",
    };

    public static string For(string type) => Titles.GetValueOrDefault(type, type);
}
