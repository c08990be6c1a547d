using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.Hierarchy;

/// <summary>
/// <c>/api/hierarchy</c>: the streets, communities, grids and buildings the caller's scope covers (from the store); an
/// administrator adds, renames and deletes (empty) places; a grid's duty roster (值班表) is read by whoever covers the grid and set by an administrator
/// or the community/street staff above it.
/// </summary>
public static partial class HierarchyApi
{
    public sealed record PlaceRequest(string? Id, string? Name, string? ParentId, int? Floors, double? Lon, double? Lat, double[][]? Polygon);
    public sealed record ShiftDto(string PersonId, string Start, string End);
    public sealed record RosterRequest(IReadOnlyList<ShiftDto>? Shifts);

    public static IEndpointRouteBuilder MapHierarchyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/hierarchy").RequireAuthorization().WithTags("Hierarchy");
        api.MapGet("/", GetAsync).WithName("GetHierarchy");
        api.MapPost("/{level:regex(^(streets|communities|grids|buildings)$)}", AddAsync).WithName("AddPlace").RequireAuthorization(AuthExtensions.AdminPolicy);
        api.MapPut("/{level:regex(^(streets|communities|grids|buildings)$)}/{id}", EditAsync).WithName("EditPlace");
        api.MapDelete("/{level:regex(^(streets|communities|grids|buildings)$)}/{id}", DeleteAsync).WithName("DeletePlace");
        api.MapGet("/grids/{gridId}/roster", GetRosterAsync).WithName("GetRoster");
        api.MapPut("/grids/{gridId}/roster", SetRosterAsync).WithName("SetRoster");
        return app;
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> GetAsync(ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        var map = await store.GetDistrictMapAsync(actor.Scope, ct);
        return TypedResults.Ok<object>(new
        {
            streets = map.Streets.Select(s => new { s.Id, s.Name }),
            communities = map.Communities.Select(c => new { c.Id, c.StreetId, c.Name }),
            grids = map.Grids.Select(g => new { g.Id, g.CommunityId, g.Name, polygon = PolygonDto(g.Polygon) }),
            buildings = map.Buildings.Select(b => new { b.Id, b.GridId, b.Name, b.Floors, b.Location.Lon, b.Location.Lat }),
        });
    }

    /// <summary>POST /api/hierarchy/{streets|communities|grids|buildings} {id, name, parentId, floors, lon, lat, polygon}.</summary>
    private static async Task<Results<Created<PlaceRequest>, ProblemHttpResult>> AddAsync(string level, PlaceRequest request, IncidentStore store, CancellationToken ct)
    {
        if (request.Id is not { } id || request.Name is not { } name) return IncidentProblems.BadRequest("id and name are required / 编号和名称必填");
        var parent = request.ParentId ?? "";
        try
        {
            switch (level)
            {
                case "streets": await store.AddStreetAsync(new Street(id, name), ct); break;
                case "communities": await store.AddCommunityAsync(new Community(id, parent, name), ct); break;
                case "grids":
                    if (request.Polygon?.Any(p => p.Length != 2) == true) return IncidentProblems.BadRequest("polygon is a list of [lon, lat] pairs / 多边形应为 [经度, 纬度] 列表");
                    await store.AddGridAsync(new Grid(id, parent, name, request.Polygon?.Select(p => new GeoPoint(p[0], p[1])).ToList()), ct);
                    break;
                default:
                    if (request.Floors is not { } floors || request.Lon is not { } lon || request.Lat is not { } lat)
                        return IncidentProblems.BadRequest("a building needs floors, lon and lat / 楼栋需要楼层数和经纬度");
                    await store.AddBuildingAsync(new Building(id, parent, name, floors, new GeoPoint(lon, lat)), ct);
                    break;
            }
        }
        catch (IncidentException e) { return IncidentProblems.BadRequest(e.Message); }
        return TypedResults.Created($"/api/hierarchy/{level}/{id}", request);
    }

    private static async Task<Results<Ok<List<ShiftDto>>, ProblemHttpResult>> GetRosterAsync(string gridId, ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (!await store.IsWithinAsync(actor.Scope, Scope.Grid(gridId), ct)) return IncidentProblems.NotFound($"Grid {gridId}");
        return TypedResults.Ok((await store.GetRosterAsync(gridId, ct)).Select(s => new ShiftDto(s.PersonId, s.Start.ToString("HH:mm"), s.End.ToString("HH:mm"))).ToList());
    }

    /// <summary>PUT /api/hierarchy/grids/{gridId}/roster {shifts: [{personId, start: "08:00", end: "20:00"}]}; start = end means all day.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> SetRosterAsync(string gridId, RosterRequest request, ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (!await store.IsWithinAsync(actor.Scope, Scope.Grid(gridId), ct)) return IncidentProblems.NotFound($"Grid {gridId}");
        if (actor.Role is not (Role.Admin or Role.CommunityStaff or Role.StreetStaff))
            return TypedResults.Problem("only administrators and community or street staff set duty rosters / 仅管理员和社区、街道工作人员可排班", statusCode: StatusCodes.Status403Forbidden);
        var shifts = new List<DutyShift>();
        foreach (var s in request.Shifts ?? [])
        {
            if (!TimeOnly.TryParseExact(s.Start, "HH:mm", out var start) || !TimeOnly.TryParseExact(s.End, "HH:mm", out var end))
                return IncidentProblems.BadRequest($"shift times are HH:mm, e.g. 08:00 (got '{s.Start}'–'{s.End}') / 班次时间格式为 HH:mm");
            shifts.Add(new DutyShift(gridId, s.PersonId, start, end));
        }
        try { await store.SetRosterAsync(gridId, shifts, ct); }
        catch (IncidentException e) { return IncidentProblems.BadRequest(e.Message); }
        return TypedResults.NoContent();
    }
}
