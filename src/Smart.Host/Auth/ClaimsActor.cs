using System.Security.Claims;
using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Host.Auth;

/// <summary>The claims our tokens carry, and the <see cref="Actor"/> (person, role, scope) they stand for.</summary>
public static class ClaimsActor
{
    public const string RoleClaim = "role";
    public const string ScopeClaim = "scope_id";
    public const string PersonClaim = "sub";
    public const string NameClaim = "name";

    /// <summary>The acting person; null when the token lacks a valid role or scope.</summary>
    public static Actor? GetActor(this ClaimsPrincipal user)
    {
        var person = user.FindFirstValue(PersonClaim);
        if (person is null || !Enum.TryParse<Role>(user.FindFirstValue(RoleClaim), out var role)) return null;
        try { return new Actor(person, role, Scope.For(role, user.FindFirstValue(ScopeClaim))); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>The SignalR group that receives what a scope covers; each connection joins exactly one.</summary>
    public static string HubGroup(this Scope scope) => scope.Level == ScopeLevel.All ? "ops" : scope.ToString();

    /// <summary>Every group an incident's events go to: operators, its street, its community and its grid.</summary>
    public static string[] HubGroups(IncidentLocation l) =>
        ["ops", Scope.Street(l.StreetId).HubGroup(), Scope.Community(l.CommunityId).HubGroup(), Scope.Grid(l.GridId).HubGroup()];
}
