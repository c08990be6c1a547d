namespace Smart.Core;

/// <summary>What a device topic carries (DESIGN §5).</summary>
public enum TopicChannel { Telemetry, Event, Status, Command }

/// <summary>A parsed <c>smart/v1/{kind}/{deviceId}/{channel}</c> topic.</summary>
public readonly record struct DeviceTopic(DeviceKind Kind, string DeviceId, TopicChannel Channel)
{
    public const string Prefix = "smart/v1/";

    /// <summary>The bridge's shared subscription over every device topic.</summary>
    public const string BridgeSubscription = "$share/smart-bridge/smart/v1/+/+/+";

    public override string ToString() => Format(Kind, DeviceId, Channel);

    public static string Format(DeviceKind kind, string deviceId, TopicChannel channel) =>
        $"{Prefix}{kind.Name()}/{deviceId}/{ChannelName(channel)}";

    public static string ChannelName(TopicChannel channel) => channel switch
    {
        TopicChannel.Telemetry => "telemetry",
        TopicChannel.Event => "event",
        TopicChannel.Status => "status",
        TopicChannel.Command => "command",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    /// <summary><c>[A-Za-z0-9_-]{1,64}</c>.</summary>
    public static bool IsValidDeviceId(ReadOnlySpan<char> id)
    {
        if (id.Length is < 1 or > 64) return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) return false;
        return true;
    }

    /// <summary>Parses a topic; returns false with a reason for anything that is not a device topic.</summary>
    public static bool TryParse(string topic, out DeviceTopic parsed, out string? error)
    {
        parsed = default;
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal)) { error = "topic_prefix"; return false; }
        var rest = topic.AsSpan(Prefix.Length);
        var slash1 = rest.IndexOf('/');
        if (slash1 < 0) { error = "topic_shape"; return false; }
        var kindSpan = rest[..slash1];
        rest = rest[(slash1 + 1)..];
        var slash2 = rest.IndexOf('/');
        if (slash2 < 0) { error = "topic_shape"; return false; }
        var idSpan = rest[..slash2];
        var channelSpan = rest[(slash2 + 1)..];
        if (!DeviceKinds.TryParse(kindSpan, out var kind)) { error = "unknown_kind"; return false; }
        if (!IsValidDeviceId(idSpan)) { error = "bad_device_id"; return false; }
        TopicChannel channel;
        switch (channelSpan)
        {
            case "telemetry": channel = TopicChannel.Telemetry; break;
            case "event": channel = TopicChannel.Event; break;
            case "status": channel = TopicChannel.Status; break;
            case "command": channel = TopicChannel.Command; break;
            default: error = "unknown_channel"; return false;
        }
        parsed = new DeviceTopic(kind, idSpan.ToString(), channel);
        error = null;
        return true;
    }
}
