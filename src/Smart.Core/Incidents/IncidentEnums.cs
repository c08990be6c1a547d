using System.Text.Json.Serialization;

namespace Smart.Core.Incidents;

/// <summary>Urgency: P1 紧急 (emergency) … P4 提示 (notice).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>紧急.</summary>
    [JsonStringEnumMemberName("P1")] P1 = 1,
    /// <summary>重要.</summary>
    [JsonStringEnumMemberName("P2")] P2 = 2,
    /// <summary>一般.</summary>
    [JsonStringEnumMemberName("P3")] P3 = 3,
    /// <summary>提示.</summary>
    [JsonStringEnumMemberName("P4")] P4 = 4,
}

/// <summary>Which level of the grid hierarchy owns an incident; a missed time limit moves it up one level.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentLevel>))]
public enum IncidentLevel
{
    [JsonStringEnumMemberName("grid")] Grid = 0,
    [JsonStringEnumMemberName("community")] Community = 1,
    [JsonStringEnumMemberName("street")] Street = 2,
}

/// <summary>The closed loop of DESIGN §8.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentState>))]
public enum IncidentState
{
    [JsonStringEnumMemberName("new")] New,
    [JsonStringEnumMemberName("dispatched")] Dispatched,
    [JsonStringEnumMemberName("accepted")] Accepted,
    [JsonStringEnumMemberName("on_site")] OnSite,
    [JsonStringEnumMemberName("resolved")] Resolved,
    /// <summary>核查结案: verified and closed.</summary>
    [JsonStringEnumMemberName("closed")] Closed,
    /// <summary>False alarm or duplicate, with a reason.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>返工: the verifier rejected the resolution.</summary>
    [JsonStringEnumMemberName("reopened")] Reopened,
}

/// <summary>What a person (or the system) does to an incident.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentAction>))]
public enum IncidentAction
{
    /// <summary>分类交办: assign to a person (new/reopened → dispatched).</summary>
    [JsonStringEnumMemberName("dispatch")] Dispatch,
    [JsonStringEnumMemberName("accept")] Accept,
    [JsonStringEnumMemberName("arrive")] Arrive,
    [JsonStringEnumMemberName("resolve")] Resolve,
    /// <summary>核查结案.</summary>
    [JsonStringEnumMemberName("close")] Close,
    [JsonStringEnumMemberName("reopen")] Reopen,
    [JsonStringEnumMemberName("cancel")] Cancel,
}

/// <summary>The database and wire names of the incident enums (snake case, as in DESIGN §8).</summary>
public static class IncidentNames
{
    private static readonly string[] States = ["new", "dispatched", "accepted", "on_site", "resolved", "closed", "cancelled", "reopened"];
    private static readonly string[] Levels = ["grid", "community", "street"];
    private static readonly string[] Actions = ["dispatch", "accept", "arrive", "resolve", "close", "reopen", "cancel"];

    public static string Name(this IncidentState state) => States[(int)state];
    public static string Name(this IncidentLevel level) => Levels[(int)level];
    public static string Name(this IncidentAction action) => Actions[(int)action];
    public static string Name(this Severity severity) => "P" + (int)severity;

    public static IncidentState ParseState(string name) => (IncidentState)IndexOf(States, name, "state");
    public static IncidentLevel ParseLevel(string name) => (IncidentLevel)IndexOf(Levels, name, "level");
    public static IncidentAction ParseAction(string name) => (IncidentAction)IndexOf(Actions, name, "action");

    public static Severity ParseSeverity(string name) =>
        name is ['P' or 'p', >= '1' and <= '4'] ? (Severity)(name[1] - '0')
        : throw new FormatException($"Unknown severity '{name}' (expected P1, P2, P3 or P4).");

    public static bool TryParseAction(string name, out IncidentAction action)
    {
        var i = Array.IndexOf(Actions, name);
        action = i < 0 ? default : (IncidentAction)i;
        return i >= 0;
    }

    private static int IndexOf(string[] names, string name, string what)
    {
        var i = Array.IndexOf(names, name);
        return i >= 0 ? i : throw new FormatException($"Unknown incident {what} '{name}' (expected one of {string.Join(", ", names)}).");
    }

    /// <summary>Open means someone still has to act: everything but closed and cancelled.</summary>
    public static bool IsOpen(this IncidentState state) => state is not (IncidentState.Closed or IncidentState.Cancelled);

    /// <summary>The next level up (grid → community → street), or null at the top.</summary>
    public static IncidentLevel? Up(this IncidentLevel level) => level == IncidentLevel.Street ? null : level + 1;
}
