using System.Buffers.Text;
using FirmwareSim.Registry;
using Smart.Core;

namespace FirmwareSim.Modes;

/// <summary>
/// Telemetry for load runs, valid per DESIGN §5 for each kind, formatted straight into bytes (no JSON writer, no
/// strings): the hot loop must stay far below the 10 µs per message a 100 000 msgs/s target allows.
/// </summary>
internal static class LoadPayloads
{
    private static readonly byte[] Fire = ""","smoke_pct_per_m":0.01,"co_ppm":1.0,"temp_c":"""u8.ToArray();
    private static readonly byte[] Manhole = ""","tilt_deg":0.4,"displacement_mm":0.1,"ch4_pct_lel":0.5,"h2s_ppm":0.2,"lid_open":false,"water_level_cm":"""u8.ToArray();
    private static readonly byte[] Camera = ""","lens_blocked":false,"fps":"""u8.ToArray();
    private static readonly byte[] Charger = ""","port":1,"state":"charging","voltage_v":220.0,"current_a":1.0,"power_w":209.0,"energy_wh":12.0,"leak_ma":0.5,"temp_c":"""u8.ToArray();

    /// <summary><paramref name="noise"/> in [-1, 1] varies the kind's main reading around a plausible level.</summary>
    public static byte[] Build(DeviceKind kind, long ts, long seq, double noise)
    {
        Span<byte> buf = stackalloc byte[256];
        var n = Write(buf, "{\"ts\":"u8);
        Utf8Formatter.TryFormat(ts, buf[n..], out var w); n += w;
        n += Write(buf[n..], ",\"seq\":"u8);
        Utf8Formatter.TryFormat(seq, buf[n..], out w); n += w;
        n += Write(buf[n..], kind switch
        {
            DeviceKind.Fire => Fire,
            DeviceKind.Manhole => Manhole,
            DeviceKind.Camera => Camera,
            _ => Charger,
        });
        var value = kind switch { DeviceKind.Fire => 22 + noise, DeviceKind.Manhole => 150 + noise, DeviceKind.Camera => 25, _ => 30 + noise };
        Utf8Formatter.TryFormat(value, buf[n..], out w, new System.Buffers.StandardFormat('F', 2)); n += w;
        buf[n++] = (byte)'}';
        return buf[..n].ToArray();
    }

    /// <summary>Devices for a load run: the registry's first ones, then synthetic <c>load-NNNNN</c> fire detectors.</summary>
    public static IReadOnlyList<SimDevice> Devices(IReadOnlyList<SimDevice> registry, int count) =>
        Enumerable.Range(0, count).Select(i => i < registry.Count ? registry[i]
            : new SimDevice(new Device($"load-{i:D5}", DeviceKind.Fire, "load", "load", "load", "load"), "")).ToList();

    private static int Write(Span<byte> dest, ReadOnlySpan<byte> src)
    {
        src.CopyTo(dest);
        return src.Length;
    }
}
