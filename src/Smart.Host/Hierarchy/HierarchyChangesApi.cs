using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.Hierarchy;

/// <summary>
/// Administrators edit places (网格调整: rename, move under another parent with their devices, correct a building's floors
/// and point or a grid's polygon) and delete empty ones (no child places, devices, people or incidents).
/// </summary>
public static partial class HierarchyApi
{
    /// <summary>What to change; a field left out keeps its value. <c>polygon: []</c> removes a grid's polygon.</summary>
    public sealed record EditRequest(string? Name, string? ParentId, int? Floors, double? Lon, double? Lat, double[][]? Polygon);

    private static PlaceLevel LevelOf(string plural) => plural switch
    {
        "streets" => PlaceLevel.Street,
        "communities" => PlaceLevel.Community,
        "grids" => PlaceLevel.Grid,
        _ => PlaceLevel.Building,
    };

    private static ProblemHttpResult? RefuseUnlessAdmin(ClaimsPrincipal user) => user.GetActor() switch
    {
        null => IncidentProblems.NoActor(),
        { Role: Role.Admin } => null,
        _ => TypedResults.Problem("only administrators edit or delete places / 仅管理员可修改或删除地点", statusCode: StatusCodes.Status403Forbidden, title: "无权操作 Forbidden"),
    };

    private static ProblemHttpResult PlaceNotFound(string level, string id) =>
        TypedResults.Problem($"No {LevelOf(level).ToString().ToLowerInvariant()} '{id}'. / 没有编号为 {id} 的地点。", statusCode: StatusCodes.Status404NotFound, title: "未找到 Not found");

    /// <summary>
    /// PUT /api/hierarchy/{level}/{id} {name, parentId, floors, lon, lat, polygon}: the place as committed and how many devices
    /// moved with it (their grid/community/street follow; open incidents keep the location they were raised at).
    /// </summary>
    private static async Task<Results<Ok<object>, ProblemHttpResult>> EditAsync(string level, string id, EditRequest request, ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (RefuseUnlessAdmin(user) is { } refused) return refused;
        if (request.Polygon?.Any(p => p.Length != 2) == true) return IncidentProblems.BadRequest("polygon is a list of [lon, lat] pairs / 多边形应为 [经度, 纬度] 列表");
        var edit = new PlaceEdit(request.Name, request.ParentId, request.Floors, request.Lon, request.Lat, request.Polygon?.Select(p => new GeoPoint(p[0], p[1])).ToList());
        try
        {
            if (await store.EditPlaceAsync(LevelOf(level), id, edit, ct) is not { } place) return PlaceNotFound(level, id);
            return TypedResults.Ok<object>(new
            {
                place.Id, place.Name, place.ParentId, place.Floors, place.Location?.Lon, place.Location?.Lat,
                polygon = PolygonDto(place.Polygon), place.DevicesMoved,
            });
        }
        catch (IncidentException e) { return IncidentProblems.From(e); }
    }

    private static double[][]? PolygonDto(IReadOnlyList<GeoPoint>? polygon) => polygon?.Select(p => new[] { p.Lon, p.Lat }).ToArray();

    /// <summary>DELETE /api/hierarchy/{level}/{id}: 409 with what is left while the place is not empty.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string level, string id, ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (RefuseUnlessAdmin(user) is { } refused) return refused;
        try
        {
            return await store.DeletePlaceAsync(LevelOf(level), id, ct) ? TypedResults.NoContent() : PlaceNotFound(level, id);
        }
        catch (IncidentException e) { return IncidentProblems.From(e); }
    }
}
