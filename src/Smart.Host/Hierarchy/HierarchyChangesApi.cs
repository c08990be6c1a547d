using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.Hierarchy;

/// <summary>Administrators rename places and delete empty ones (no child places, devices, people or incidents).</summary>
public static partial class HierarchyApi
{
    public sealed record RenameRequest(string? Name);

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
        _ => TypedResults.Problem("only administrators rename or delete places / 仅管理员可修改或删除地点", statusCode: StatusCodes.Status403Forbidden, title: "无权操作 Forbidden"),
    };

    private static ProblemHttpResult PlaceNotFound(string level, string id) =>
        TypedResults.Problem($"No {LevelOf(level).ToString().ToLowerInvariant()} '{id}'. / 没有编号为 {id} 的地点。", statusCode: StatusCodes.Status404NotFound, title: "未找到 Not found");

    /// <summary>PUT /api/hierarchy/{level}/{id} {name}.</summary>
    private static async Task<Results<Ok<object>, ProblemHttpResult>> RenameAsync(string level, string id, RenameRequest request, ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (RefuseUnlessAdmin(user) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(request.Name)) return IncidentProblems.BadRequest("name is required / 名称必填");
        if (!await store.RenamePlaceAsync(LevelOf(level), id, request.Name, ct)) return PlaceNotFound(level, id);
        return TypedResults.Ok<object>(new { id, name = request.Name.Trim() });
    }

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
