using Smart.Core;

namespace Smart.Host.Bridge;

/// <summary>One scalar value of a message, typed as the schema (or, for events, the JSON) says.</summary>
public readonly record struct FieldValue(string Name, FieldType Type, double Number, bool Boolean, string? Text)
{
    public static FieldValue Of(string name, double value, FieldType type = FieldType.Number) => new(name, type, value, false, null);
    public static FieldValue Of(string name, bool value) => new(name, FieldType.Boolean, value ? 1 : 0, value, null);
    public static FieldValue Of(string name, string value) => new(name, FieldType.Text, 0, false, value);

    /// <summary>The value as a detector sees it: booleans as 0/1, text not at all.</summary>
    public double AsMetric => Number;
}

/// <summary>A validated device message, enriched with where the device is (device → building → grid → …).</summary>
public sealed class DecodedMessage
{
    public required Device Device { get; init; }
    public required TopicChannel Channel { get; init; }
    public required long TimestampMs { get; init; }
    public long? Seq { get; init; }
    /// <summary>Charger port (a tag), when present.</summary>
    public int? Port { get; init; }
    /// <summary>Event type (<c>event</c> channel) or null.</summary>
    public string? EventType { get; init; }
    /// <summary>Status channel: the device says it is online.</summary>
    public bool? Online { get; init; }
    public required IReadOnlyList<FieldValue> Fields { get; init; }
}

/// <summary>Why a message was not stored as a reading (counted per reason, kept as a dead letter).</summary>
public static class RejectReasons
{
    public const string BadTopic = "bad_topic";
    public const string UnknownDevice = "unknown_device";
    public const string WrongKind = "wrong_kind";
    public const string Oversize = "oversize";
    public const string BadJson = "bad_json";
    public const string MissingField = "missing_field";
    public const string BadField = "bad_field";
    public const string TimestampOutOfRange = "ts_out_of_range";
    public const string NotForBridge = "not_for_bridge";

    public static IReadOnlyList<string> All { get; } =
        [BadTopic, UnknownDevice, WrongKind, Oversize, BadJson, MissingField, BadField, TimestampOutOfRange, NotForBridge];
}

/// <summary>A rejection: the reason code and a sentence that says what was wrong.</summary>
public readonly record struct Rejection(string Reason, string Detail);
