using System.Text.Json;
using System.Text.Json.Serialization;

namespace FirmwareSim.Scenarios;

/// <summary>
/// A scenario file (<c>scenarios/NAME.json</c>, snake_case): which devices it hits, how their readings change,
/// what events, connectivity faults or bad input it produces, and which incidents detection should raise.
/// </summary>
public sealed class ScenarioDefinition
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public ScenarioTarget Target { get; set; } = new();
    public double DurationS { get; set; } = 600;
    /// <summary>Delay between the onsets of successive target devices (fire spreading through a building).</summary>
    public double StaggerS { get; set; }
    public List<EffectDefinition> Effects { get; set; } = [];
    public List<EventDefinition> Events { get; set; } = [];
    public ConnectivityDefinition? Connectivity { get; set; }
    public BadInputDefinition? BadInput { get; set; }
    /// <summary>Expected incidents; type <c>none</c> labels a negative (nothing must be raised).</summary>
    public List<ExpectDefinition> Expect { get; set; } = [];
}

public sealed class ScenarioTarget
{
    /// <summary><c>fire</c>, <c>manhole</c>, <c>camera</c> or <c>charger</c>.</summary>
    public string Kind { get; set; } = "fire";
    public int Devices { get; set; } = 1;
    public bool SameBuilding { get; set; }
    /// <summary>Charger port hit by the scenario (0: pick one).</summary>
    public int Port { get; set; }
    /// <summary>Start a charging session on the port at onset if it is idle.</summary>
    public bool ForceCharging { get; set; }
}

/// <summary>
/// How one metric changes from <c>start_s</c> (after the device's onset) until <c>end_s</c> or the scenario's end.
/// Ops: <c>ramp_to</c> (linear from the normal value to <c>value</c> over <c>ramp_s</c>), <c>exp_to</c> (accelerating rise),
/// <c>add</c> (offset reached over <c>ramp_s</c>), <c>set</c> (constant, any JSON type), <c>hold</c> (frozen at the onset value).
/// </summary>
public sealed class EffectDefinition
{
    public string Metric { get; set; } = "";
    public string Op { get; set; } = "ramp_to";
    public JsonElement Value { get; set; }
    public double StartS { get; set; }
    public double RampS { get; set; }
    public double? EndS { get; set; }
    /// <summary>Relative noise added around the target so a plateau does not look like a stuck sensor.</summary>
    public double NoisePct { get; set; } = 2;
    /// <summary>The effect needs the port powered (current, power): it stops when the centre cuts power.</summary>
    public bool RequiresPower { get; set; }
}

public sealed class EventDefinition
{
    public double AtS { get; set; }
    public string Type { get; set; } = "";
    /// <summary>Extra fields; a <c>falling_object</c> gets a generated track unless given.</summary>
    public Dictionary<string, JsonElement> Fields { get; set; } = [];
}

public sealed class ConnectivityDefinition
{
    /// <summary><c>dead</c>: the device loses power (no clean disconnect, so the broker sends its will); <c>flap</c>: link drops and returns.</summary>
    public string Mode { get; set; } = "dead";
    public double OfflineS { get; set; } = 20;
    public double OnlineS { get; set; } = 40;
}

public sealed class BadInputDefinition
{
    /// <summary><c>malformed_json</c>, <c>wrong_fields</c>, <c>wrong_topic</c>, <c>wrong_kind</c>, <c>oversize</c>, <c>other_device</c>, <c>future_ts</c>.</summary>
    public List<string> Variants { get; set; } = [];
    public int Count { get; set; } = 1;
    public double EveryS { get; set; } = 5;
}

public sealed class ExpectDefinition
{
    public string Type { get; set; } = "";
    /// <summary><c>device</c>: one row per target device; <c>building</c>: one row for the scenario.</summary>
    public string Per { get; set; } = "device";
    public double OffsetS { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ScenarioDefinition))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;
