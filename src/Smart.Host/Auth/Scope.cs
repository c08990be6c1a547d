using System.Security.Claims;
using Smart.Core;

namespace Smart.Host.Auth;

/// <summary>What a person may see and act on: everything (operators, admins), a street, a community or a grid.</summary>
public sealed record Scope(Role Role, string? StreetId, string? CommunityId, string? GridId, string PersonId, string Name)
{
    public const string RoleClaim = "role";
    public const string ScopeClaim = "scope_id";
    public const string PersonClaim = "sub";
    public const string NameClaim = "name";

    public bool SeesEverything => Role is Role.Operator or Role.Admin;

    /// <summary>The SignalR group that receives what this scope covers; each connection joins exactly one.</summary>
    public string HubGroup => Role switch
    {
        Role.Operator or Role.Admin => "ops",
        Role.StreetStaff => "street:" + StreetId,
        Role.CommunityStaff => "community:" + CommunityId,
        _ => "grid:" + GridId,
    };

    public bool Covers(string streetId, string communityId, string gridId) => Role switch
    {
        Role.Operator or Role.Admin => true,
        Role.StreetStaff => StreetId == streetId,
        Role.CommunityStaff => CommunityId == communityId,
        _ => GridId == gridId,
    };

    /// <summary>Reads the scope from a validated token's claims; null when the token does not carry one.</summary>
    public static Scope? From(ClaimsPrincipal user)
    {
        var role = user.FindFirstValue(RoleClaim);
        if (role is null || !Enum.TryParse<Role>(role, out var r)) return null;
        var scopeId = user.FindFirstValue(ScopeClaim);
        var person = user.FindFirstValue(PersonClaim) ?? "";
        var name = user.FindFirstValue(NameClaim) ?? person;
        return r switch
        {
            Role.StreetStaff => new(r, scopeId, null, null, person, name),
            Role.CommunityStaff => new(r, null, scopeId, null, person, name),
            Role.GridWorker => new(r, null, null, scopeId, person, name),
            _ => new(r, null, null, null, person, name),
        };
    }
}
