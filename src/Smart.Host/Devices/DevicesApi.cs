using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Smart.Core;
using Smart.Host.Auth;
using Smart.Host.Bridge;
using Smart.Host.Infrastructure;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.Devices;

/// <summary><c>/api/devices</c>: the device registry within the caller's scope (DESIGN §9).</summary>
public static class DevicesApi
{
    public sealed record DeviceDto(string Id, string Kind, string BuildingId, string GridId, string CommunityId, string StreetId, double? Lon, double? Lat,
        bool Retired, bool Online, DateTimeOffset? LastSeenAt, DateTimeOffset? MaintenanceUntil, string? MaintenanceNote);

    /// <summary>A page of devices and how many match in all (<c>total</c>, like the incident list's).</summary>
    public sealed record DevicePageDto(IReadOnlyList<DeviceDto> Items, int Total);
    public sealed record RegisterRequest(string? Id, string? Kind, string? BuildingId, double? Lon, double? Lat);
    /// <summary>Another building (and, when given, another point) for a device.</summary>
    public sealed record MoveRequest(string? BuildingId, double? Lon, double? Lat);
    /// <summary>What the installer flashes into the device: its broker login and topics (DESIGN §5).</summary>
    public sealed record MqttCredentials(string Username, string Password, string TelemetryTopic, string EventTopic, string StatusTopic, string CommandTopic);
    public sealed record RegisteredDevice(DeviceDto Device, MqttCredentials Mqtt);
    /// <summary>维护/测试 for <c>Minutes</c> from now (1 min – 7 days), and why.</summary>
    public sealed record MaintenanceRequest(int? Minutes, string? Note);

    /// <summary>The registry entry with what the bridge last heard from the device.</summary>
    public static DeviceDto AsDto(this Device d, DeviceStatusBoard status)
    {
        var (online, lastSeen) = status.Get(d.Id);
        return new(d.Id, d.Kind.Name(), d.BuildingId, d.GridId, d.CommunityId, d.StreetId, d.Location?.Lon, d.Location?.Lat, d.Retired, online, lastSeen,
            d.Maintenance?.Until, d.Maintenance?.Note);
    }

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/devices").RequireAuthorization().WithTags("Devices");
        api.MapGet("/", ListAsync).WithName("ListDevices");
        api.MapGet("/{id}", GetAsync).WithName("GetDevice");
        api.MapPost("/", RegisterAsync).WithName("RegisterDevice").RequireAuthorization(AuthExtensions.OpsPolicy);
        api.MapPut("/{id}", MoveAsync).WithName("MoveDevice").RequireAuthorization(AuthExtensions.OpsPolicy);
        api.MapDelete("/{id}", RetireAsync).WithName("RetireDevice").RequireAuthorization(AuthExtensions.OpsPolicy);
        api.MapPut("/{id}/maintenance", StartMaintenanceAsync).WithName("StartDeviceMaintenance").RequireAuthorization(AuthExtensions.OpsPolicy);
        api.MapDelete("/{id}/maintenance", EndMaintenanceAsync).WithName("EndDeviceMaintenance").RequireAuthorization(AuthExtensions.OpsPolicy);
        return app;
    }

    private static async Task<Results<Ok<DevicePageDto>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, IncidentStore store, DeviceStatusBoard status,
        TimeProvider clock, string? kind, string? gridId, [FromQuery(Name = "status")] string? state, int? offset, int? limit, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        DeviceKind? parsed = null;
        if (kind is not null)
        {
            if (!DeviceKinds.TryParse(kind, out var k)) return IncidentProblems.BadRequest("kind must be fire, manhole, camera or charger.");
            parsed = k;
        }
        if (limit is < 1 or > 5000) return IncidentProblems.BadRequest("limit must be 1–5000.");
        if (state is not null && !StatusNames.Contains(state)) return IncidentProblems.BadRequest("status must be online, offline, retired or maintenance.");
        if (state is null)
        {
            var devices = await store.ListDevicesAsync(actor.Scope, parsed, gridId, offset ?? 0, limit ?? 1000, ct);
            var total = await store.CountDevicesAsync(actor.Scope, parsed, gridId, ct);
            return TypedResults.Ok(new DevicePageDto(devices.Select(d => d.AsDto(status)).ToList(), (int)total));
        }
        // Online or offline is the bridge's, not the database's: the scope's devices are read whole and filtered here.
        var matching = new List<DeviceDto>();
        var now = clock.GetUtcNow();
        for (var from = 0; ; from += WholePage)
        {
            var page = await store.ListDevicesAsync(actor.Scope, parsed, gridId, from, WholePage, ct);
            matching.AddRange(page.Where(d => state == "maintenance" ? !d.Retired && d.Maintenance?.ActiveAt(now) == true : StatusOf(d.AsDto(status)) == state)
                .Select(d => d.AsDto(status)));
            if (page.Count < WholePage) break;
        }
        return TypedResults.Ok(new DevicePageDto(matching.Skip(Math.Max(offset ?? 0, 0)).Take(limit ?? 1000).ToList(), matching.Count));
    }

    private const int WholePage = 5000;
    /// <summary>Online, offline, retired (one of them per device), or under maintenance now (online or not).</summary>
    private static readonly string[] StatusNames = ["online", "offline", "retired", "maintenance"];

    /// <summary>What the admin page shows a device as: retired, else online or offline.</summary>
    private static string StatusOf(DeviceDto d) => d.Retired ? "retired" : d.Online ? "online" : "offline";

    private static async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IncidentStore store, DeviceStatusBoard status, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        return await store.GetDeviceAsync(id, actor.Scope, ct) is { } device ? TypedResults.Ok(device.AsDto(status)) : IncidentProblems.NotFound($"Device {id}");
    }

    /// <summary>Registers a device in a building of the caller's area and returns its own MQTT credentials, once the embedded
    /// broker admits them (it re-reads its logins on a signal, on its own time): a device may connect the moment it has them.</summary>
    private static async Task<Results<Created<RegisteredDevice>, ProblemHttpResult>> RegisterAsync(RegisterRequest request, ClaimsPrincipal user, IncidentStore store,
        DeviceStatusBoard status, DeviceCredentials credentials, EmbeddedInfrastructureService broker, ILoggerFactory logs, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (string.IsNullOrWhiteSpace(request.Id) || string.IsNullOrWhiteSpace(request.BuildingId) || request.Kind is null || !DeviceKinds.TryParse(request.Kind, out var kind))
            return IncidentProblems.BadRequest("id, kind (fire, manhole, camera or charger) and buildingId are required.");
        var location = request is { Lon: { } lon, Lat: { } lat } ? new GeoPoint(lon, lat) : (GeoPoint?)null;
        Device device;
        // The bridge's directory and the broker's logins follow through IncidentStore.DeviceChanged (DirectoryFollower).
        try { device = await store.RegisterDeviceAsync(request.Id, kind, request.BuildingId, location, actor.Scope, ct); }
        catch (Smart.Core.Incidents.IncidentException e) { return IncidentProblems.From(e); }
        var topic = (TopicChannel c) => DeviceTopic.Format(kind, device.Id, c);
        var mqtt = new MqttCredentials(device.Id, credentials.PasswordFor(device.Id), topic(TopicChannel.Telemetry), topic(TopicChannel.Event),
            topic(TopicChannel.Status), topic(TopicChannel.Command));
        if (!await broker.BrokerAdmitsAsync(mqtt.Username, mqtt.Password, ct))
            logs.CreateLogger("Smart.Host.Devices").LogWarning("The embedded broker did not admit the new device {DeviceId} within 5 s; it will once it re-reads its logins", device.Id);
        return TypedResults.Created($"/api/devices/{device.Id}", new RegisteredDevice(device.AsDto(status), mqtt));
    }

    /// <summary>
    /// Moves a device to another building: its grid, community and street follow, and so do the bridge's directory (the
    /// readings' tags, the building detection correlates in) on every host. The caller must cover the device and the building.
    /// </summary>
    private static async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> MoveAsync(string id, MoveRequest request, ClaimsPrincipal user, IncidentStore store,
        DeviceStatusBoard status, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (string.IsNullOrWhiteSpace(request.BuildingId)) return IncidentProblems.BadRequest("buildingId is required / 楼栋编号必填");
        if (request.Lon is null != request.Lat is null) return IncidentProblems.BadRequest("lon and lat go together / 经度和纬度须同时提供");
        var location = request is { Lon: { } lon, Lat: { } lat } ? new GeoPoint(lon, lat) : (GeoPoint?)null;
        try
        {
            return await store.MoveDeviceAsync(id, request.BuildingId, actor.Scope, location, ct) is { } device
                ? TypedResults.Ok(device.AsDto(status)) : IncidentProblems.NotFound($"Device {id}");
        }
        catch (Smart.Core.Incidents.IncidentException e) { return IncidentProblems.From(e); }
    }

    /// <summary>Retires a device: its login is removed from the broker, which also drops its open connection (mosquitto re-checks
    /// connected clients on reload); anything it still manages to send becomes a dead letter.</summary>
    private static async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> RetireAsync(string id, ClaimsPrincipal user, IncidentStore store,
        DeviceStatusBoard status, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (await store.RetireDeviceAsync(id, actor.Scope, ct) is not { } device) return IncidentProblems.NotFound($"Device {id}");
        return TypedResults.Ok(device.AsDto(status));
    }

    /// <summary>维护/测试: until <c>minutes</c> from now the host makes none of the device's alerts incidents (a detector tested
    /// with smoke spray, a gauge re-mounted); its readings are stored and its commands sent as ever. Again: a new period.</summary>
    private static async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> StartMaintenanceAsync(string id, MaintenanceRequest request, ClaimsPrincipal user,
        IncidentStore store, DeviceStatusBoard status, TimeProvider clock, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (request.Minutes is not (>= 1 and <= MaxMaintenanceMinutes))
            return IncidentProblems.BadRequest($"minutes must be 1–{MaxMaintenanceMinutes} (7 days) / 维护时长须为 1–{MaxMaintenanceMinutes} 分钟");
        if (request.Note is { Length: > 200 }) return IncidentProblems.BadRequest("note is at most 200 characters / 说明最多 200 字");
        var until = clock.GetUtcNow().AddMinutes(request.Minutes.Value);
        return await store.SetMaintenanceAsync(id, until, request.Note?.Trim(), actor.Scope, ct) is { } device
            ? TypedResults.Ok(device.AsDto(status)) : IncidentProblems.NotFound($"Device {id} (or it is retired)");
    }

    /// <summary>Ends the maintenance now (its note stays with the past period).</summary>
    private static async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> EndMaintenanceAsync(string id, ClaimsPrincipal user, IncidentStore store,
        DeviceStatusBoard status, TimeProvider clock, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (await store.GetDeviceAsync(id, actor.Scope, ct) is not { Retired: false } current) return IncidentProblems.NotFound($"Device {id} (or it is retired)");
        var now = clock.GetUtcNow();
        var until = current.Maintenance is { } m && m.Until < now ? m.Until : now; // a period already over stays as it ended
        return await store.SetMaintenanceAsync(id, until, current.Maintenance?.Note, actor.Scope, ct) is { } device
            ? TypedResults.Ok(device.AsDto(status)) : IncidentProblems.NotFound($"Device {id} (or it is retired)");
    }

    private const int MaxMaintenanceMinutes = 7 * 24 * 60;
}
