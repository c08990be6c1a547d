namespace Smart.Core;

/// <summary>The four kinds of community sensor (DESIGN §1); the lower-case name is the topic segment.</summary>
public enum DeviceKind
{
    /// <summary>烟感/温感: smoke, heat and CO detector.</summary>
    Fire,
    /// <summary>智能井盖: smart manhole cover.</summary>
    Manhole,
    /// <summary>高空抛物: throwing-from-height camera.</summary>
    Camera,
    /// <summary>电动自行车充电桩: e-bike charging station port.</summary>
    Charger,
}

public static class DeviceKinds
{
    public static IReadOnlyList<DeviceKind> All { get; } = [DeviceKind.Fire, DeviceKind.Manhole, DeviceKind.Camera, DeviceKind.Charger];

    /// <summary>The topic and measurement name: <c>fire</c>, <c>manhole</c>, <c>camera</c>, <c>charger</c>.</summary>
    public static string Name(this DeviceKind kind) => kind switch
    {
        DeviceKind.Fire => "fire",
        DeviceKind.Manhole => "manhole",
        DeviceKind.Camera => "camera",
        DeviceKind.Charger => "charger",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(ReadOnlySpan<char> name, out DeviceKind kind)
    {
        switch (name)
        {
            case "fire": kind = DeviceKind.Fire; return true;
            case "manhole": kind = DeviceKind.Manhole; return true;
            case "camera": kind = DeviceKind.Camera; return true;
            case "charger": kind = DeviceKind.Charger; return true;
            default: kind = default; return false;
        }
    }

    public static DeviceKind Parse(string name) =>
        TryParse(name, out var kind) ? kind : throw new FormatException($"Unknown device kind '{name}' (expected fire, manhole, camera or charger).");
}
