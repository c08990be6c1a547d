using System.Text;
using System.Text.Json;
using Smart.Core;

namespace Smart.Host.Bridge;

/// <summary>
/// Decode → validate → enrich (DESIGN §5): topic and device, size, JSON shape, required and finite fields, and a
/// device clock within [-7 days, +24 h] of the receive time. Pure and allocation-light (Utf8JsonReader).
/// </summary>
public sealed class MessageDecoder(DeviceDirectory devices)
{
    private static readonly TimeSpan MaxFuture = TimeSpan.FromHours(24);
    private static readonly TimeSpan MaxPast = TimeSpan.FromDays(7);

    public bool TryDecode(string topic, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt, out DecodedMessage? message, out Rejection rejection)
    {
        message = null;
        if (!DeviceTopic.TryParse(topic, out var parsed, out var topicError))
            return Reject(RejectReasons.BadTopic, $"'{topic}' is not smart/v1/{{kind}}/{{deviceId}}/{{telemetry|event|status}} ({topicError})", out rejection);
        if (parsed.Channel == TopicChannel.Command)
            return Reject(RejectReasons.NotForBridge, "command topics are written by the host, not by devices", out rejection);
        if (payload.Length > TelemetrySchema.MaxPayloadBytes)
            return Reject(RejectReasons.Oversize, $"payload is {payload.Length} bytes; the limit is {TelemetrySchema.MaxPayloadBytes}", out rejection);
        if (!devices.TryGet(parsed.DeviceId, out var device) || device.Retired)
            return Reject(RejectReasons.UnknownDevice, $"device '{parsed.DeviceId}' is not registered (or retired)", out rejection);
        if (device.Kind != parsed.Kind)
            return Reject(RejectReasons.WrongKind, $"device '{device.Id}' is a {device.Kind.Name()}, not a {parsed.Kind.Name()}", out rejection);

        var fields = new List<FieldValue>(12);
        string? eventType = null;
        try
        {
            if (!ReadObject(payload, fields, ref eventType, out rejection)) return false;
        }
        catch (JsonException e)
        {
            return Reject(RejectReasons.BadJson, $"payload is not valid JSON: {e.Message}", out rejection);
        }
        return Validate(device, parsed.Channel, fields, eventType, receivedAt, out message, out rejection);
    }

    private static bool ReadObject(ReadOnlySpan<byte> payload, List<FieldValue> fields, ref string? eventType, out Rejection rejection)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return Reject(RejectReasons.BadJson, "payload must be a JSON object", out rejection);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = FieldName(ref reader);
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    fields.Add(FieldValue.Of(name, reader.GetDouble()));
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    fields.Add(FieldValue.Of(name, reader.GetBoolean()));
                    break;
                case JsonTokenType.String when name == "type":
                    eventType = reader.GetString();
                    break;
                case JsonTokenType.String:
                    fields.Add(FieldValue.Of(name, reader.GetString()!));
                    break;
                case JsonTokenType.StartArray or JsonTokenType.StartObject:
                    // Nested values (a camera track) are kept as their JSON text.
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    fields.Add(FieldValue.Of(name, Encoding.UTF8.GetString(payload[start..((int)reader.BytesConsumed)])));
                    break;
                case JsonTokenType.Null:
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            return Reject(RejectReasons.BadJson, "payload must be exactly one JSON object", out rejection);
        rejection = default;
        return true;
    }

    /// <summary>Every name the schema knows plus the envelope's, so the hot path looks names up instead of allocating them.</summary>
    private static readonly HashSet<string> KnownNames = DeviceKinds.All.SelectMany(TelemetrySchema.For).Concat(TelemetrySchema.Common)
        .Select(f => f.Name).Concat(["type", "port", "online", "state"]).ToHashSet(StringComparer.Ordinal);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownNameLookup = KnownNames.GetAlternateLookup<ReadOnlySpan<char>>();

    private static string FieldName(ref Utf8JsonReader reader)
    {
        Span<char> chars = stackalloc char[64];
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= chars.Length)
        {
            var n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            if (KnownNameLookup.TryGetValue(chars[..n], out var known)) return known;
        }
        return reader.GetString()!;
    }

    private static bool Validate(Device device, TopicChannel channel, List<FieldValue> fields, string? eventType, DateTimeOffset receivedAt,
        out DecodedMessage? message, out Rejection rejection)
    {
        message = null;
        long ts = receivedAt.ToUnixTimeMilliseconds();
        long? seq = null;
        int? port = null;
        bool? online = null;
        for (var i = fields.Count - 1; i >= 0; i--)
        {
            var f = fields[i];
            if (f.Type == FieldType.Number && !double.IsFinite(f.Number))
                return Reject(RejectReasons.BadField, $"field '{f.Name}' is not a finite number", out rejection);
            switch (f.Name)
            {
                case "ts" when f.Type == FieldType.Number && f.Number == Math.Floor(f.Number): ts = (long)f.Number; fields.RemoveAt(i); break;
                case "seq" when f.Type == FieldType.Number && f.Number == Math.Floor(f.Number) && f.Number >= 0: seq = (long)f.Number; fields.RemoveAt(i); break;
                case "ts" or "seq": return Reject(RejectReasons.BadField, $"field '{f.Name}' must be a non-negative integer", out rejection);
                case "port" when device.Kind == DeviceKind.Charger && f.Type == FieldType.Number && f.Number is >= 0 and <= 64 && f.Number == Math.Floor(f.Number):
                    port = (int)f.Number; fields.RemoveAt(i); break;
                case "online" when channel == TopicChannel.Status && f.Type == FieldType.Boolean: online = f.Boolean; break;
            }
        }
        var age = receivedAt - DateTimeOffset.FromUnixTimeMilliseconds(ts);
        if (age > MaxPast || -age > MaxFuture)
            return Reject(RejectReasons.TimestampOutOfRange, $"ts {ts} is more than 7 days in the past or 24 h in the future", out rejection);
        switch (channel)
        {
            case TopicChannel.Telemetry:
                if (!CheckSchema(device.Kind, fields, port, out rejection)) return false;
                break;
            case TopicChannel.Event when string.IsNullOrEmpty(eventType):
                return Reject(RejectReasons.MissingField, "an event needs a string field 'type'", out rejection);
            case TopicChannel.Status when online is null:
                return Reject(RejectReasons.MissingField, "a status message needs a boolean field 'online'", out rejection);
        }
        message = new DecodedMessage { Device = device, Channel = channel, TimestampMs = ts, Seq = seq, Port = port, EventType = eventType, Online = online, Fields = fields };
        rejection = default;
        return true;
    }

    private static bool CheckSchema(DeviceKind kind, List<FieldValue> fields, int? port, out Rejection rejection)
    {
        foreach (var spec in TelemetrySchema.For(kind))
        {
            if (spec.Name == "port")
            {
                if (port is null) return Reject(RejectReasons.MissingField, "charger telemetry needs an integer 'port' (0–64)", out rejection);
                continue;
            }
            var index = IndexOf(fields, spec.Name);
            if (index < 0)
            {
                if (spec.Required) return Reject(RejectReasons.MissingField, $"{kind.Name()} telemetry needs '{spec.Name}'", out rejection);
                continue;
            }
            var actual = fields[index].Type;
            var ok = spec.Type switch
            {
                FieldType.Number or FieldType.Integer => actual == FieldType.Number,
                FieldType.Boolean => actual == FieldType.Boolean,
                _ => actual == FieldType.Text,
            };
            if (!ok) return Reject(RejectReasons.BadField, $"'{spec.Name}' must be {spec.Type.ToString().ToLowerInvariant()}", out rejection);
        }
        // Unknown extra fields are not part of the schema: they are not stored. (Loops, not lambdas: no closure per message.)
        for (var i = fields.Count - 1; i >= 0; i--)
            if (!IsKnown(kind, fields[i].Name)) fields.RemoveAt(i);
        rejection = default;
        return true;
    }

    private static int IndexOf(List<FieldValue> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++) if (fields[i].Name == name) return i;
        return -1;
    }

    private static bool IsKnown(DeviceKind kind, string name)
    {
        foreach (var spec in TelemetrySchema.For(kind)) if (spec.Name == name) return true;
        foreach (var spec in TelemetrySchema.Common) if (spec.Name == name) return true;
        return false;
    }

    private static bool Reject(string reason, string detail, out Rejection rejection)
    {
        rejection = new Rejection(reason, detail);
        return false;
    }
}
