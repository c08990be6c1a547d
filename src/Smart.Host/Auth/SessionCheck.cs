using System.Security.Claims;
using Smart.Incidents;

namespace Smart.Host.Auth;

/// <summary>
/// Tokens are not revocable by themselves (signed, 12 h): each request's token stands only while its person is active
/// and still has the role and scope it was issued with, so a deactivation or a role change takes effect on the next
/// request (one primary-key read). SignalR checks it when a connection starts and on each hub method call.
/// </summary>
public static class SessionCheck
{
    public static async Task<bool> StandsAsync(ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (user.FindFirstValue(ClaimsActor.PersonClaim) is not { } id) return false;
        var person = await store.FindPersonAsync(id, ct);
        return person is { Active: true }
            && person.Role.ToString() == user.FindFirstValue(ClaimsActor.RoleClaim)
            && person.ScopeId == user.FindFirstValue(ClaimsActor.ScopeClaim);
    }
}
