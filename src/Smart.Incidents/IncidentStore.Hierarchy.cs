using System.Text.Json;
using Dapper;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

/// <summary>The part of the district a scope covers: its streets, communities, grids and buildings.</summary>
public sealed record DistrictMap(IReadOnlyList<Street> Streets, IReadOnlyList<Community> Communities, IReadOnlyList<Grid> Grids, IReadOnlyList<Building> Buildings);

public sealed partial class IncidentStore
{
#pragma warning disable IDE1006 // column names
    private sealed class MapGridRow { public string id { get; set; } = ""; public string community_id { get; set; } = ""; public string name { get; set; } = ""; public string? polygon { get; set; } }
    private sealed class MapBuildingRow { public string id { get; set; } = ""; public string grid_id { get; set; } = ""; public string name { get; set; } = ""; public long floors { get; set; } public double lon { get; set; } public double lat { get; set; } }
#pragma warning restore IDE1006

    /// <summary>The streets, communities, grids and buildings inside <paramref name="scope"/>, by id.</summary>
    public async Task<DistrictMap> GetDistrictMapAsync(Scope scope, CancellationToken ct = default)
    {
        var where = scope.Level switch
        {
            ScopeLevel.Street => "c.street_id = @scopeId",
            ScopeLevel.Community => "g.community_id = @scopeId",
            ScopeLevel.Grid => "g.id = @scopeId",
            _ => "1 = 1",
        };
        const string from = "FROM grids g JOIN communities c ON c.id = g.community_id";
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var grids = (await connection.QueryAsync<MapGridRow>($"SELECT g.id, g.community_id, g.name, g.polygon {from} WHERE {where} ORDER BY g.id", new { scopeId = scope.Id }).ConfigureAwait(false))
            .Select(g => new Grid(g.id, g.community_id, g.name, g.polygon is null ? null : JsonSerializer.Deserialize<List<GeoPoint>>(g.polygon, IncidentJson.Options))).ToList();
        var buildings = (await connection.QueryAsync<MapBuildingRow>($"SELECT b.id, b.grid_id, b.name, b.floors, b.lon, b.lat FROM buildings b JOIN grids g ON g.id = b.grid_id JOIN communities c ON c.id = g.community_id WHERE {where} ORDER BY b.id",
            new { scopeId = scope.Id }).ConfigureAwait(false)).Select(b => new Building(b.id, b.grid_id, b.name, (int)b.floors, new GeoPoint(b.lon, b.lat))).ToList();
        // A community or street with no grid yet is still listed for whoever covers it (an admin filling in the district).
        bool CoversStreet(string id) => scope.Level == ScopeLevel.All || (scope.Level == ScopeLevel.Street && id == scope.Id);
        bool CoversCommunity(string id, string streetId) => CoversStreet(streetId) || (scope.Level == ScopeLevel.Community && id == scope.Id);
        var communityIds = grids.Select(g => g.CommunityId).ToHashSet();
        var communities = (await connection.QueryAsync<(string id, string street_id, string name)>("SELECT id, street_id, name FROM communities ORDER BY id").ConfigureAwait(false))
            .Where(c => communityIds.Contains(c.id) || CoversCommunity(c.id, c.street_id)).Select(c => new Community(c.id, c.street_id, c.name)).ToList();
        var streetIds = communities.Select(c => c.StreetId).ToHashSet();
        var streets = (await connection.QueryAsync<(string id, string name)>("SELECT id, name FROM streets ORDER BY id").ConfigureAwait(false))
            .Where(s => streetIds.Contains(s.id) || CoversStreet(s.id)).Select(s => new Street(s.id, s.name)).ToList();
        return new DistrictMap(streets, communities, grids, buildings);
    }

    /// <summary>Adds a street (街道). Throws <see cref="IncidentException"/> (Invalid) for a bad or taken id or an empty name.</summary>
    public Task AddStreetAsync(Street street, CancellationToken ct = default) =>
        AddPlaceAsync(PlaceLevel.Street, "streets", street.Id, street.Name, null, null, null, "INSERT INTO streets (id, name) VALUES (@Id, @Name) ON CONFLICT DO NOTHING", street, ct);

    /// <summary>Adds a community (社区) to an existing street.</summary>
    public Task AddCommunityAsync(Community community, CancellationToken ct = default) =>
        AddPlaceAsync(PlaceLevel.Community, "communities", community.Id, community.Name, "streets", "street", community.StreetId,
            "INSERT INTO communities (id, street_id, name) VALUES (@Id, @StreetId, @Name) ON CONFLICT DO NOTHING", community, ct);

    /// <summary>Adds a grid (网格) to an existing community; its polygon (if any) is where outdoor reports are located.</summary>
    public async Task AddGridAsync(Grid grid, CancellationToken ct = default)
    {
        if (grid.Polygon is { Count: < 3 }) throw new IncidentException(IncidentError.Invalid, "A grid polygon needs at least 3 points (lon, lat).");
        await AddPlaceAsync(PlaceLevel.Grid, "grids", grid.Id, grid.Name, "communities", "community", grid.CommunityId,
            "INSERT INTO grids (id, community_id, name, polygon) VALUES (@Id, @CommunityId, @Name, @polygon) ON CONFLICT DO NOTHING",
            new { grid.Id, grid.CommunityId, grid.Name, polygon = grid.Polygon is null ? null : JsonSerializer.Serialize(grid.Polygon, IncidentJson.Options) }, ct).ConfigureAwait(false);
        _locator = null;
    }

    /// <summary>Adds a building (楼栋) to an existing grid.</summary>
    public Task AddBuildingAsync(Building building, CancellationToken ct = default)
    {
        if (building.Floors is < 1 or > 200) throw new IncidentException(IncidentError.Invalid, "floors must be 1–200.");
        if (building.Location.Lon is < -180 or > 180 || building.Location.Lat is < -90 or > 90)
            throw new IncidentException(IncidentError.Invalid, "lon must be −180…180 and lat −90…90.");
        return AddPlaceAsync(PlaceLevel.Building, "buildings", building.Id, building.Name, "grids", "grid", building.GridId,
            "INSERT INTO buildings (id, grid_id, name, floors, lon, lat) VALUES (@Id, @GridId, @Name, @floors, @lon, @lat) ON CONFLICT DO NOTHING",
            new { building.Id, building.GridId, building.Name, floors = (long)building.Floors, lon = building.Location.Lon, lat = building.Location.Lat }, ct);
    }

    private async Task AddPlaceAsync(PlaceLevel level, string table, string id, string name, string? parentTable, string? parentNoun, string? parentId, string insertSql, object row, CancellationToken ct)
    {
        if (!DeviceTopic.IsValidDeviceId(id)) throw new IncidentException(IncidentError.Invalid, "id must match [A-Za-z0-9_-]{1,64}.");
        if (string.IsNullOrWhiteSpace(name)) throw new IncidentException(IncidentError.Invalid, "name is required.");
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        if (parentTable is not null && await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {parentTable} WHERE id = @parentId", new { parentId }).ConfigureAwait(false) == 0)
            throw new IncidentException(IncidentError.Invalid, $"Unknown {parentNoun} '{parentId}'.");
        if (await connection.ExecuteAsync(insertSql, row).ConfigureAwait(false) == 0)
            throw new IncidentException(IncidentError.Invalid, $"{table} already has id '{id}'.");
        await NotifyPlaceChangedAsync(connection, null, level, id).ConfigureAwait(false); // other hosts' screens and grid locators
        DistrictChanged?.Invoke();
    }

    /// <summary>A grid's duty roster (值班表), by start time.</summary>
    public async Task<IReadOnlyList<DutyShift>> GetRosterAsync(string gridId, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string person_id, long start_min, long end_min)>(
            "SELECT person_id, start_min, end_min FROM duty_roster WHERE grid_id = @gridId ORDER BY start_min, person_id", new { gridId }).ConfigureAwait(false);
        return rows.Select(r => new DutyShift(gridId, r.person_id, new TimeOnly((int)(r.start_min / 60), (int)(r.start_min % 60)), new TimeOnly((int)(r.end_min / 60), (int)(r.end_min % 60)))).ToList();
    }
}
