using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Host.Auth;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.Devices;

/// <summary><c>/api/devices</c>: the device registry within the caller's scope (DESIGN §9).</summary>
public static class DevicesApi
{
    public sealed record DeviceDto(string Id, string Kind, string BuildingId, string GridId, string CommunityId, string StreetId, double? Lon, double? Lat, bool Retired);

    public static DeviceDto AsDto(this Device d) =>
        new(d.Id, d.Kind.Name(), d.BuildingId, d.GridId, d.CommunityId, d.StreetId, d.Location?.Lon, d.Location?.Lat, d.Retired);

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/devices").RequireAuthorization().WithTags("Devices");
        api.MapGet("/", ListAsync).WithName("ListDevices");
        api.MapGet("/{id}", GetAsync).WithName("GetDevice");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<DeviceDto>>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, IncidentStore store,
        string? kind, string? grid, int? offset, int? limit, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        DeviceKind? parsed = null;
        if (kind is not null)
        {
            if (!DeviceKinds.TryParse(kind, out var k)) return IncidentProblems.BadRequest("kind must be fire, manhole, camera or charger.");
            parsed = k;
        }
        if (limit is < 1 or > 5000) return IncidentProblems.BadRequest("limit must be 1–5000.");
        var devices = await store.ListDevicesAsync(actor.Scope, parsed, grid, offset ?? 0, limit ?? 1000, ct);
        return TypedResults.Ok<IReadOnlyList<DeviceDto>>(devices.Select(AsDto).ToList());
    }

    private static async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        return await store.GetDeviceAsync(id, actor.Scope, ct) is { } device ? TypedResults.Ok(device.AsDto()) : IncidentProblems.NotFound($"Device {id}");
    }
}
