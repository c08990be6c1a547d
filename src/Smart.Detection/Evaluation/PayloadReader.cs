using System.Text.Json;
using Smart.Core;

namespace Smart.Detection.Evaluation;

/// <summary>Turns a DESIGN §5 JSON payload into engine inputs: numbers become metrics, booleans 0/1, charger
/// <c>state</c> the reading's state; <c>ts</c> (else the receive time) the timestamp; <c>seq</c> and <c>ts</c> are not metrics.</summary>
public static class PayloadReader
{
    public static ReadingInput ToReading(DeviceKind kind, string deviceId, string buildingId, long receivedMs, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var (ts, metrics, text) = Read(doc.RootElement, receivedMs);
        return new ReadingInput(deviceId, kind, buildingId, ts, metrics, text.GetValueOrDefault("state"));
    }

    public static EventInput ToEvent(DeviceKind kind, string deviceId, string buildingId, long receivedMs, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var (ts, metrics, text) = Read(doc.RootElement, receivedMs);
        var type = text.GetValueOrDefault("type") ?? throw new InvalidDataException($"Event from {deviceId} has no 'type'.");
        return new EventInput(deviceId, kind, buildingId, ts, type, metrics);
    }

    private static (long Ts, List<Metric> Metrics, Dictionary<string, string> Text) Read(JsonElement root, long receivedMs)
    {
        var ts = receivedMs;
        var metrics = new List<Metric>();
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.Number when p.Name == "ts": ts = p.Value.GetInt64(); break;
                case JsonValueKind.Number when p.Name == "seq": break;
                case JsonValueKind.Number: metrics.Add(new Metric(p.Name, p.Value.GetDouble())); break;
                case JsonValueKind.True: metrics.Add(new Metric(p.Name, 1)); break;
                case JsonValueKind.False: metrics.Add(new Metric(p.Name, 0)); break;
                case JsonValueKind.String: text[p.Name] = p.Value.GetString()!; break;
            }
        }
        return (ts, metrics, text);
    }
}
