using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Host.Infrastructure;
using Smart.Incidents;

namespace Smart.Host.Auth;

/// <summary>Who may log in, with their role and scope.</summary>
public interface IPeopleDirectory
{
    /// <summary>The person when the credentials are right and they are active, else null (no hint which part was wrong).</summary>
    Task<Person?> AuthenticateAsync(string username, string password, CancellationToken ct = default);
}

/// <summary>
/// People in the store sign in with their stored password hash. In demo mode the demo district's published logins
/// (<c>worker1a</c> / <c>worker1a123</c> …) work as well.
/// </summary>
internal sealed class PeopleDirectory(IncidentStore store, DemoDistrict district, IOptions<DemoOptions> demo) : IPeopleDirectory
{
    // Verified against when the login name is unknown or has no password, so the answer takes as long either way.
    private static readonly string UnknownUserHash = PasswordHasher.Hash(PasswordHasher.Generate());

    public async Task<Person?> AuthenticateAsync(string username, string password, CancellationToken ct = default)
    {
        var login = await store.FindLoginAsync(username, ct);
        // Demo logins sign in as the person the store holds now (renamed, moved or deactivated by an administrator).
        if (demo.Value.Enabled && district.Logins.TryGetValue(username, out var demoPassword) &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(demoPassword)))
            return login?.Person is { Active: true } demoPerson ? demoPerson : null;
        var ok = PasswordHasher.Verify(password, login?.PasswordHash ?? UnknownUserHash);
        return ok && login is { PasswordHash: not null, Person.Active: true } ? login.Person : null;
    }
}
