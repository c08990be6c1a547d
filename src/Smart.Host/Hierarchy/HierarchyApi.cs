using Smart.Core.Demo;
using Smart.Core.Incidents;
using Smart.Host.Auth;

namespace Smart.Host.Hierarchy;

public static class HierarchyApi
{
    /// <summary>
    /// <c>GET /api/hierarchy</c>: streets, communities, grids and buildings the caller's scope covers (names for the screens).
    /// Served from the district the host loaded (the demo district in demo mode).
    /// </summary>
    public static IEndpointRouteBuilder MapHierarchyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/hierarchy", (System.Security.Claims.ClaimsPrincipal user, DemoDistrict district) =>
        {
            var scope = user.GetActor()?.Scope ?? Scope.Grid("-");
            var communities = district.Communities.ToDictionary(c => c.Id);
            var grids = district.Grids.Where(g => scope.Covers(new IncidentLocation(communities[g.CommunityId].StreetId, g.CommunityId, g.Id))).ToList();
            var gridIds = grids.Select(g => g.Id).ToHashSet();
            var communityIds = grids.Select(g => g.CommunityId).ToHashSet();
            var streetIds = communityIds.Select(c => communities[c].StreetId).ToHashSet();
            return TypedResults.Ok(new
            {
                streets = district.Streets.Where(s => streetIds.Contains(s.Id)).Select(s => new { s.Id, s.Name }),
                communities = district.Communities.Where(c => communityIds.Contains(c.Id)).Select(c => new { c.Id, c.StreetId, c.Name }),
                grids = grids.Select(g => new { g.Id, g.CommunityId, g.Name }),
                buildings = district.Buildings.Where(b => gridIds.Contains(b.GridId)).Select(b => new { b.Id, b.GridId, b.Name, b.Floors }),
            });
        })
        .RequireAuthorization()
        .WithName("GetHierarchy")
        .WithTags("Hierarchy");
        return app;
    }
}
