namespace Smart.Mqtt;

/// <summary>Topic name / filter rules (MQTT 5 §4.7).</summary>
public static class MqttTopic
{
    /// <summary>A topic name for PUBLISH: 1..65535 UTF-8 bytes, no wildcards, no U+0000.</summary>
    public static void ThrowIfInvalidTopicName(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length == 0) throw new ArgumentException("An MQTT topic name must not be empty (MQTT §4.7.3).", nameof(topic));
        if (topic.AsSpan().IndexOfAny('+', '#', '\0') >= 0)
            throw new ArgumentException($"MQTT topic name '{topic}' must not contain '+', '#' or U+0000 (MQTT §4.7.1).", nameof(topic));
    }

    /// <summary>A topic filter for SUBSCRIBE: '#' only last and alone in its level, '+' alone in its level.</summary>
    public static void ThrowIfInvalidTopicFilter(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Length == 0) throw new ArgumentException("An MQTT topic filter must not be empty (MQTT §4.7.3).", nameof(filter));
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            var bad = level.Contains('\0')
                || (level.Contains('#') && (level != "#" || i != levels.Length - 1))
                || (level.Contains('+') && level != "+");
            if (bad) throw new ArgumentException($"MQTT topic filter '{filter}' has a misplaced wildcard at level {i} (MQTT §4.7.1).", nameof(filter));
        }
        if (filter.StartsWith("$share/", StringComparison.Ordinal) && (levels.Length < 3 || levels[1].Length == 0))
            throw new ArgumentException($"Shared subscription '{filter}' must be $share/GROUP/FILTER (MQTT 5 §4.8.2).", nameof(filter));
    }
}
