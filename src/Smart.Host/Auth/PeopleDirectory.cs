using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Host.Infrastructure;

namespace Smart.Host.Auth;

/// <summary>Who may log in, with their role and scope.</summary>
public interface IPeopleDirectory
{
    /// <summary>The person when the credentials are right, else null (no hint which part was wrong).</summary>
    Person? Authenticate(string username, string password);
}

/// <summary>The demo district's people; only active in demo mode.</summary>
internal sealed class DemoPeopleDirectory(DemoDistrict district, IOptions<DemoOptions> demo) : IPeopleDirectory
{
    public Person? Authenticate(string username, string password)
    {
        if (!demo.Value.Enabled || !district.Logins.TryGetValue(username, out var expected)) return null;
        var ok = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(expected));
        return ok ? district.People.Single(p => p.Username == username) : null;
    }
}
