using System.Text;
using FirmwareSim.Registry;
using Smart.Core;

namespace FirmwareSim.Engine;

/// <summary>
/// Deliberately broken messages a real fleet produces (firmware bugs, misconfigured or hostile devices). The bridge
/// must count and dead-letter them (DESIGN §5) or the broker ACL must refuse them; none may become a reading.
/// </summary>
internal static class BadInput
{
    public static readonly IReadOnlyList<string> Variants =
        ["malformed_json", "wrong_fields", "wrong_topic", "wrong_kind", "oversize", "other_device", "future_ts"];

    public static SimMessage Create(string variant, long simMs, int device, IReadOnlyList<SimDevice> registry, Random rng)
    {
        var d = registry[device];
        var telemetry = d.Topic(TopicChannel.Telemetry);
        return variant switch
        {
            "malformed_json" => Msg(telemetry, rng.Next(3) switch
            {
                0 => $"{{\"ts\":{simMs},\"temp_c\":",       // truncated mid-object
                1 => "temp_c=21.5;smoke=0.01",               // not JSON at all
                _ => $"{{\"ts\":{simMs},\"temp_c\":21.5,}}", // trailing comma
            }),
            "wrong_fields" => Msg(telemetry, rng.Next(2) == 0
                ? $"{{\"ts\":{simMs},\"temp_c\":\"hot\",\"smoke_pct_per_m\":null}}"
                : $"{{\"ts\":{simMs},\"temperature\":21.5,\"co_ppm\":1e999}}"),
            "wrong_topic" => Msg(rng.Next(2) == 0
                ? $"smart/v1/{d.Kind.Name()}/{d.Id}/telemetri"
                : $"smart/v1/lamp/{d.Id}/telemetry", $"{{\"ts\":{simMs},\"temp_c\":21.5}}"),
            "wrong_kind" => Msg(DeviceTopic.Format(OtherKind(d.Kind), d.Id, TopicChannel.Telemetry),
                $"{{\"ts\":{simMs},\"tilt_deg\":0.1,\"fps\":25,\"temp_c\":21}}"),
            "oversize" => Msg(telemetry, $"{{\"ts\":{simMs},\"temp_c\":21.5,\"note\":\"{new string('x', 9 * 1024)}\"}}"),
            "other_device" => Msg(Neighbour(device, registry).Topic(TopicChannel.Telemetry), $"{{\"ts\":{simMs},\"smoke_pct_per_m\":25,\"temp_c\":90,\"co_ppm\":500}}"),
            "future_ts" => Msg(telemetry, $"{{\"ts\":{simMs + 2 * 86_400_000L},\"temp_c\":21.5,\"smoke_pct_per_m\":0.01,\"co_ppm\":1}}"),
            _ => throw new ArgumentException($"Unknown bad_input variant '{variant}' (expected one of {string.Join(", ", Variants)})."),
        };

        SimMessage Msg(string topic, string payload) => new(simMs, device, SimAction.Publish, topic, Encoding.UTF8.GetBytes(payload), Invalid: true);
    }

    private static DeviceKind OtherKind(DeviceKind k) => k == DeviceKind.Manhole ? DeviceKind.Fire : DeviceKind.Manhole;

    /// <summary>Another device of the same kind: publishing on its topic must be refused by the broker ACL.</summary>
    private static SimDevice Neighbour(int device, IReadOnlyList<SimDevice> registry)
    {
        for (var i = 1; i < registry.Count; i++)
        {
            var other = registry[(device + i) % registry.Count];
            if (other.Kind == registry[device].Kind) return other;
        }
        return registry[(device + 1) % registry.Count];
    }
}
