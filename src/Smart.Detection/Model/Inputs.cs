using Smart.Core;

namespace Smart.Detection;

/// <summary>One numeric field of a payload (DESIGN §5), e.g. <c>("temp_c", 21.5)</c>; booleans are 0/1.</summary>
public readonly record struct Metric(string Name, double Value);

/// <summary>A telemetry reading of one device.</summary>
/// <param name="State">Charger <c>state</c> (<c>idle</c>/<c>charging</c>/<c>full</c>/<c>fault</c>); null for other kinds.</param>
public sealed record ReadingInput(
    string DeviceId, DeviceKind Kind, string BuildingId, long TimestampMs, IReadOnlyList<Metric> Metrics, string? State = null)
{
    /// <summary>The value of a field, if the reading carries it.</summary>
    public bool TryGet(string name, out double value) => Fields.TryGet(Metrics, name, out value);
}

/// <summary>A discrete device event (DESIGN §5 events), e.g. camera <c>falling_object</c> with
/// <c>confidence</c>, <c>floor_min</c>, <c>floor_max</c> (and optionally <c>floor_span</c> computed from the track).</summary>
public sealed record EventInput(
    string DeviceId, DeviceKind Kind, string BuildingId, long TimestampMs, string Type, IReadOnlyList<Metric> Fields)
{
    public bool TryGet(string name, out double value) => Smart.Detection.Fields.TryGet(Fields, name, out value);
}

internal static class Fields
{
    public static bool TryGet(IReadOnlyList<Metric> metrics, string name, out double value)
    {
        for (var i = 0; i < metrics.Count; i++)
        {
            if (string.Equals(metrics[i].Name, name, StringComparison.Ordinal))
            {
                value = metrics[i].Value;
                return double.IsFinite(value);
            }
        }
        value = 0;
        return false;
    }
}
