using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FirmwareSim.Scenarios;

/// <summary>
/// One labelled anomaly: detection should raise <see cref="Expected"/> for <see cref="Device"/> between
/// <see cref="StartMs"/> and <see cref="EndMs"/> (simulated epoch ms). <c>none</c> labels a negative.
/// </summary>
public sealed record GroundTruthRow(string Scenario, string Instance, string Device, string Kind, string Building, int Port,
    long StartMs, long EndMs, string Expected);

public static class GroundTruth
{
    /// <summary>Incident type strings shared with detection and incidents.</summary>
    public static readonly IReadOnlySet<string> IncidentTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "fire.smoke", "fire.heat", "fire.co", "fire.confirmed",
        "manhole.tilt", "manhole.displaced", "manhole.open", "manhole.flood", "manhole.gas",
        "camera.falling_object", "camera.blocked",
        "charger.overheat", "charger.overcurrent", "charger.leakage", "charger.long_charge", "charger.thermal_runaway",
        "device.offline", "sensor.stuck", "none",
    };

    /// <summary>Writes CSV when the path ends in <c>.csv</c>, otherwise JSON Lines.</summary>
    public static async Task WriteAsync(string path, IEnumerable<GroundTruthRow> rows, CancellationToken ct = default)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var text = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ToCsv(rows) : ToJsonLines(rows);
        var tmp = path + ".tmp";
        await File.WriteAllTextAsync(tmp, text, ct).ConfigureAwait(false);
        File.Move(tmp, path, overwrite: true); // a reader never sees a half-written file
    }

    public static string ToCsv(IEnumerable<GroundTruthRow> rows)
    {
        var sb = new StringBuilder("scenario,instance,device,kind,building,port,start,end,start_ms,end_ms,expected\n");
        foreach (var r in rows)
            sb.Append(CultureInfo.InvariantCulture, $"{r.Scenario},{r.Instance},{r.Device},{r.Kind},{r.Building},{r.Port},{Iso(r.StartMs)},{Iso(r.EndMs)},{r.StartMs},{r.EndMs},{r.Expected}\n");
        return sb.ToString();
    }

    public static string ToJsonLines(IEnumerable<GroundTruthRow> rows)
    {
        var sb = new StringBuilder();
        foreach (var r in rows)
        {
            sb.Append(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["scenario"] = r.Scenario, ["instance"] = r.Instance, ["device"] = r.Device, ["kind"] = r.Kind,
                ["building"] = r.Building, ["port"] = r.Port, ["start"] = Iso(r.StartMs), ["end"] = Iso(r.EndMs),
                ["start_ms"] = r.StartMs, ["end_ms"] = r.EndMs, ["expected"] = r.Expected,
            })).Append('\n');
        }
        return sb.ToString();
    }

    public static IReadOnlyList<GroundTruthRow> ReadCsv(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(c => new GroundTruthRow(c[0], c[1], c[2], c[3], c[4], int.Parse(c[5], CultureInfo.InvariantCulture),
                long.Parse(c[8], CultureInfo.InvariantCulture), long.Parse(c[9], CultureInfo.InvariantCulture), c[10]))
            .ToList();

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
