using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Host.Auth;
using Smart.Host.Bridge;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.Devices;

/// <summary><c>/api/devices</c>: the device registry within the caller's scope (DESIGN §9).</summary>
public static class DevicesApi
{
    public sealed record DeviceDto(string Id, string Kind, string BuildingId, string GridId, string CommunityId, string StreetId, double? Lon, double? Lat,
        bool Retired, bool Online, DateTimeOffset? LastSeenAt);

    public sealed record DevicePageDto(IReadOnlyList<DeviceDto> Items, int Total);

    /// <summary>The registry entry with what the bridge last heard from the device.</summary>
    public static DeviceDto AsDto(this Device d, DeviceStatusBoard status)
    {
        var (online, lastSeen) = status.Get(d.Id);
        return new(d.Id, d.Kind.Name(), d.BuildingId, d.GridId, d.CommunityId, d.StreetId, d.Location?.Lon, d.Location?.Lat, d.Retired, online, lastSeen);
    }

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/devices").RequireAuthorization().WithTags("Devices");
        api.MapGet("/", ListAsync).WithName("ListDevices");
        api.MapGet("/{id}", GetAsync).WithName("GetDevice");
        return app;
    }

    private static async Task<Results<Ok<DevicePageDto>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, IncidentStore store, DeviceStatusBoard status,
        string? kind, string? gridId, int? offset, int? limit, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        DeviceKind? parsed = null;
        if (kind is not null)
        {
            if (!DeviceKinds.TryParse(kind, out var k)) return IncidentProblems.BadRequest("kind must be fire, manhole, camera or charger.");
            parsed = k;
        }
        if (limit is < 1 or > 5000) return IncidentProblems.BadRequest("limit must be 1–5000.");
        var devices = await store.ListDevicesAsync(actor.Scope, parsed, gridId, offset ?? 0, limit ?? 1000, ct);
        return TypedResults.Ok(new DevicePageDto(devices.Select(d => d.AsDto(status)).ToList(), devices.Count));
    }

    private static async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IncidentStore store, DeviceStatusBoard status, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        return await store.GetDeviceAsync(id, actor.Scope, ct) is { } device ? TypedResults.Ok(device.AsDto(status)) : IncidentProblems.NotFound($"Device {id}");
    }
}
