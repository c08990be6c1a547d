using Smart.Core;
using Smart.Detection;
using Smart.Influx.LineProtocol;

namespace Smart.Host.Bridge;

/// <summary>
/// DESIGN §6 schema: one measurement per kind (tags community, device, grid, [port], street), <c>event</c>,
/// <c>status</c> and <c>anomaly</c>. Tags are written in key order; timestamps are the device's, in ms, so a redelivered
/// message rewrites the same point (idempotent ingest).
/// </summary>
public static class PointEncoder
{
    public static void Write(LineProtocolWriter w, DecodedMessage m)
    {
        var d = m.Device;
        switch (m.Channel)
        {
            case TopicChannel.Telemetry:
                WriteSeries(w, d, m.Port);
                break;
            case TopicChannel.Event:
                w.Measurement("event").Tag("community"u8, d.CommunityId).Tag("device"u8, d.Id).Tag("grid"u8, d.GridId)
                    .Tag("kind"u8, d.Kind.Name()).Tag("street"u8, d.StreetId).Tag("type"u8, m.EventType);
                break;
            case TopicChannel.Status:
                w.Measurement("status").Tag("device"u8, d.Id).Tag("kind"u8, d.Kind.Name()).Field("online"u8, m.Online == true);
                w.Timestamp(m.TimestampMs);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(m), m.Channel, "commands are not stored");
        }
        WriteFields(w, m);
        w.Timestamp(m.TimestampMs);
    }

    /// <summary>A telemetry series: the kind's measurement and its tags (also the series of its 1-minute rollups).</summary>
    public static void WriteSeries(LineProtocolWriter w, Device d, int? port)
    {
        w.Measurement(d.Kind.Name()).Tag("community"u8, d.CommunityId).Tag("device"u8, d.Id).Tag("grid"u8, d.GridId);
        if (port is { } p) w.Tag("port"u8, PortText(p));
        w.Tag("street"u8, d.StreetId);
    }

    private static void WriteFields(LineProtocolWriter w, DecodedMessage m)
    {
        var any = false;
        foreach (var f in m.Fields)
        {
            switch (f.Type)
            {
                case FieldType.Boolean: w.Field(f.Name, f.Boolean); break;
                case FieldType.Text: w.Field(f.Name, f.Text!); break;
                default: w.Field(f.Name, f.Number); break;
            }
            any = true;
        }
        // seq is always an integer field; it also makes a field-less event a valid point.
        if (m.Seq is { } seq || !any) w.Field("seq"u8, m.Seq ?? 0L);
    }

    public static void Write(LineProtocolWriter w, AnomalyScore s)
    {
        w.Measurement("anomaly").Tag("detector"u8, s.Detector).Tag("device"u8, s.DeviceId).Tag("kind"u8, s.Kind.Name()).Tag("metric"u8, s.Metric)
            .Field("score"u8, s.Score).Field("value"u8, s.Value);
        if (double.IsFinite(s.Expected)) w.Field("expected"u8, s.Expected);
        w.Timestamp(s.TimestampMs);
    }

    private static readonly string[] PortTexts = Enumerable.Range(0, 65).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string PortText(int port) => PortTexts[port];
}
