using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Smart.Core;
using Smart.Core.Demo;

namespace FirmwareSim.Registry;

/// <summary>
/// Reads the registry from the host's API (<c>GET /api/devices</c>, DESIGN §9) so ids and locations match what the
/// host has; passwords are derived from the district secret exactly as the host derives the broker's password file.
/// </summary>
public static class HostRegistry
{
    /// <summary>
    /// Loads the devices from the host at <paramref name="baseUrl"/> (e.g. <c>http://127.0.0.1:5000</c>) with a bearer
    /// <paramref name="token"/>, or, when it is null, with one obtained for <paramref name="login"/> (<c>user:password</c>).
    /// </summary>
    public static async Task<IReadOnlyList<SimDevice>> LoadAsync(Uri baseUrl, string? token, string? login, string secret = DemoDistrict.DefaultSecret,
        CancellationToken ct = default)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        token ??= await TokenAsync(http, login ?? throw new ArgumentException("Reading devices from the host needs --token or --login user:password."), ct).ConfigureAwait(false);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync("/api/devices?limit=5000", ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new IOException($"GET {baseUrl}api/devices answered {(int)response.StatusCode} {response.ReasonPhrase}; check the host address and that the login may list devices (an operator sees all).");
        return FromApiPage(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false), secret);
    }

    /// <summary>Parses a <c>DevicePageDto</c> (<c>{"items":[{"id","kind","buildingId","gridId","communityId","streetId","lon","lat","retired"}]}</c>).</summary>
    public static IReadOnlyList<SimDevice> FromApiPage(string json, string secret = DemoDistrict.DefaultSecret)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<SimDevice>();
        foreach (var e in doc.RootElement.GetProperty("items").EnumerateArray())
        {
            if (e.TryGetProperty("retired", out var r) && r.ValueKind == JsonValueKind.True) continue;
            string Str(string name) => e.GetProperty(name).GetString() ?? "";
            GeoPoint? location = e.TryGetProperty("lon", out var lon) && lon.ValueKind == JsonValueKind.Number && e.TryGetProperty("lat", out var lat)
                ? new GeoPoint(lon.GetDouble(), lat.GetDouble()) : null;
            var device = new Device(Str("id"), DeviceKinds.Parse(Str("kind")), Str("buildingId"), Str("gridId"), Str("communityId"), Str("streetId"), location);
            list.Add(new SimDevice(device, DemoDistrict.DerivePassword(secret, device.Id)));
        }
        return list;
    }

    /// <summary>A bearer token from the host's <c>POST /api/auth/token</c> for <paramref name="login"/> (<c>user:password</c>).</summary>
    public static async Task<string> TokenAsync(Uri baseUrl, string login, CancellationToken ct = default)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        return await TokenAsync(http, login, ct).ConfigureAwait(false);
    }

    private static async Task<string> TokenAsync(HttpClient http, string login, CancellationToken ct)
    {
        var colon = login.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1) throw new ArgumentException("--login must be user:password.");
        using var response = await http.PostAsJsonAsync("/api/auth/token", new { username = login[..colon], password = login[(colon + 1)..] }, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new IOException($"POST /api/auth/token answered {(int)response.StatusCode}: check --login.");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }
}
