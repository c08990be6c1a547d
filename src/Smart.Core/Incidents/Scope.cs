namespace Smart.Core.Incidents;

public enum ScopeLevel { All, Street, Community, Grid }

/// <summary>
/// What part of the district a person sees and acts on: operators and admins all, street staff their street,
/// community staff their community, grid workers their grid. Anything outside reads as "not found".
/// </summary>
public sealed record Scope(ScopeLevel Level, string? Id)
{
    public static Scope All { get; } = new(ScopeLevel.All, null);

    public static Scope Street(string id) => new(ScopeLevel.Street, id);
    public static Scope Community(string id) => new(ScopeLevel.Community, id);
    public static Scope Grid(string id) => new(ScopeLevel.Grid, id);

    /// <summary>The scope a role with its scope id has.</summary>
    public static Scope For(Role role, string? scopeId) => role switch
    {
        Role.Operator or Role.Admin => All,
        Role.StreetStaff => Street(Require(role, scopeId)),
        Role.CommunityStaff => Community(Require(role, scopeId)),
        Role.GridWorker => Grid(Require(role, scopeId)),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public bool Covers(IncidentLocation location) => Level switch
    {
        ScopeLevel.All => true,
        ScopeLevel.Street => location.StreetId == Id,
        ScopeLevel.Community => location.CommunityId == Id,
        ScopeLevel.Grid => location.GridId == Id,
        _ => false,
    };

    public bool Covers(Incident incident) => Covers(incident.Location);

    public override string ToString() => Level == ScopeLevel.All ? "all" : $"{Level.ToString().ToLowerInvariant()}:{Id}";

    private static string Require(Role role, string? scopeId) =>
        string.IsNullOrEmpty(scopeId) ? throw new ArgumentException($"A {role} needs a scope id (their grid, community or street).", nameof(scopeId)) : scopeId;
}

/// <summary>Who is acting: a person with a role and scope, or the system (detection, timers).</summary>
public sealed record Actor(string Id, Role? Role, Scope Scope)
{
    /// <summary>Detection, auto-dispatch and SLA timers.</summary>
    public static Actor System { get; } = new("system", null, Scope.All);

    public static Actor Of(Person person) => new(person.Id, person.Role, Scope.For(person.Role, person.ScopeId));

    public bool IsSystem => Role is null;

    public string RoleName => Role is { } r ? RoleNames.Name(r) : "system";
}

public static class RoleNames
{
    public static string Name(Role role) => role switch
    {
        Role.Operator => "operator",
        Role.GridWorker => "grid_worker",
        Role.CommunityStaff => "community_staff",
        Role.StreetStaff => "street_staff",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static Role Parse(string name) => name switch
    {
        "operator" => Role.Operator,
        "grid_worker" => Role.GridWorker,
        "community_staff" => Role.CommunityStaff,
        "street_staff" => Role.StreetStaff,
        "admin" => Role.Admin,
        _ => throw new FormatException($"Unknown role '{name}'."),
    };
}
