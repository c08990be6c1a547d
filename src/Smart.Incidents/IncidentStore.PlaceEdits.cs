using System.Data.Common;
using System.Text.Json;
using Dapper;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

/// <summary>
/// What to change about a place (网格调整); a null field keeps its value. <see cref="ParentId"/> moves the place under
/// another parent one level up; <see cref="Floors"/>, <see cref="Lon"/> and <see cref="Lat"/> are a building's,
/// <see cref="Polygon"/> a grid's (an empty list removes it).
/// </summary>
public sealed record PlaceEdit(string? Name = null, string? ParentId = null, int? Floors = null, double? Lon = null, double? Lat = null, IReadOnlyList<GeoPoint>? Polygon = null);

/// <summary>A place as committed after an edit, and how many devices (retired ones too) moved with it.</summary>
public sealed record EditedPlace(string Id, string Name, string? ParentId, int? Floors, GeoPoint? Location, IReadOnlyList<GeoPoint>? Polygon, int DevicesMoved);

public sealed partial class IncidentStore
{
#pragma warning disable IDE1006 // column names
    private sealed class PlaceRow
    {
        public string id { get; set; } = ""; public string name { get; set; } = ""; public string? parent_id { get; set; }
        public long? floors { get; set; } public double? lon { get; set; } public double? lat { get; set; } public string? polygon { get; set; }
    }
#pragma warning restore IDE1006

    private static string PlaceSelect(PlaceLevel level) => level switch
    {
        PlaceLevel.Street => "SELECT id, name, NULL AS parent_id, NULL AS floors, NULL AS lon, NULL AS lat, NULL AS polygon FROM streets WHERE id = @id",
        PlaceLevel.Community => "SELECT id, name, street_id AS parent_id, NULL AS floors, NULL AS lon, NULL AS lat, NULL AS polygon FROM communities WHERE id = @id",
        PlaceLevel.Grid => "SELECT id, name, community_id AS parent_id, NULL AS floors, NULL AS lon, NULL AS lat, polygon FROM grids WHERE id = @id",
        _ => "SELECT id, name, grid_id AS parent_id, floors, lon, lat, NULL AS polygon FROM buildings WHERE id = @id",
    };

    private static string PlaceUpdate(PlaceLevel level) => level switch
    {
        PlaceLevel.Street => "UPDATE streets SET name = @name WHERE id = @id",
        PlaceLevel.Community => "UPDATE communities SET name = @name, street_id = @parent_id WHERE id = @id",
        PlaceLevel.Grid => "UPDATE grids SET name = @name, community_id = @parent_id, polygon = @polygon WHERE id = @id",
        _ => "UPDATE buildings SET name = @name, grid_id = @parent_id, floors = @floors, lon = @lon, lat = @lat WHERE id = @id",
    };

    /// <summary>
    /// Edits a place; null when there is no such place. A new parent moves the place with everything under it: the devices'
    /// denormalised grid/community/street columns follow in the same transaction and <see cref="DeviceChanged"/> is raised for
    /// each (other hosts hear one notification for the place and read its devices). People scoped to a moved grid or
    /// community keep their scope; incidents keep the location they were raised at. Throws <see cref="IncidentException"/>
    /// (Invalid) for a blank name, an unknown parent or one of the wrong level, or a field the level does not have or out of range.
    /// </summary>
    public async Task<EditedPlace?> EditPlaceAsync(PlaceLevel level, string id, PlaceEdit edit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ThrowIfInvalid(level, edit);
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (await connection.QuerySingleOrDefaultAsync<PlaceRow>(PlaceSelect(level), new { id }, tx).ConfigureAwait(false) is not { } row) return null;
        var moved = edit.ParentId is { } parentId && parentId != row.parent_id;
        var reshaped = edit.Polygon is not null && PolygonJson(edit.Polygon) != row.polygon;
        var updated = new PlaceRow
        {
            id = id, name = edit.Name?.Trim() ?? row.name, parent_id = edit.ParentId ?? row.parent_id, floors = edit.Floors ?? row.floors,
            lon = edit.Lon ?? row.lon, lat = edit.Lat ?? row.lat, polygon = edit.Polygon is null ? row.polygon : PolygonJson(edit.Polygon),
        };
        IReadOnlyList<Device> devices = [];
        if (moved)
        {
            var above = await AncestorsOfParentAsync(connection, tx, level, updated.parent_id!).ConfigureAwait(false);
            await connection.ExecuteAsync(PlaceUpdate(level), updated, tx).ConfigureAwait(false);
            devices = await MoveDevicesUnderAsync(connection, tx, level, id, above).ConfigureAwait(false);
        }
        else await connection.ExecuteAsync(PlaceUpdate(level), updated, tx).ConfigureAwait(false);
        // One notification for the place, however many devices it holds: other hosts read its devices in one query (and
        // their screens the district).
        await NotifyPlaceChangedAsync(connection, tx, level, id).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        if (level is PlaceLevel.Grid or PlaceLevel.Community && (moved || reshaped)) _locator = null;
        foreach (var device in devices) RaiseDeviceChanged(device);
        DistrictChanged?.Invoke();
        return new EditedPlace(id, updated.name, updated.parent_id, (int?)updated.floors,
            updated is { lon: { } x, lat: { } y } ? new GeoPoint(x, y) : null, PolygonOf(updated.polygon), devices.Count);
    }

    private static void ThrowIfInvalid(PlaceLevel level, PlaceEdit edit)
    {
        var noun = TableOf(level);
        if (edit.Name is { } name && string.IsNullOrWhiteSpace(name)) throw new IncidentException(IncidentError.Invalid, "name is required. / 名称必填。");
        if (level == PlaceLevel.Street && edit.ParentId is not null)
            throw new IncidentException(IncidentError.Invalid, "A street has no parent place. / 街道没有上级地点。");
        if (level != PlaceLevel.Building && (edit.Floors ?? edit.Lon ?? edit.Lat) is not null)
            throw new IncidentException(IncidentError.Invalid, $"Only a building has floors, lon and lat, not a {noun.Noun}. / 只有楼栋有楼层数和经纬度，{noun.Zh}没有。");
        if (level != PlaceLevel.Grid && edit.Polygon is not null)
            throw new IncidentException(IncidentError.Invalid, $"Only a grid has a polygon, not a {noun.Noun}. / 只有网格有边界多边形，{noun.Zh}没有。");
        if (edit.Floors is < 1 or > 200) throw new IncidentException(IncidentError.Invalid, "floors must be 1–200. / 楼层数应为 1–200。");
        if (edit.Lon is < -180 or > 180 || edit.Lat is < -90 or > 90)
            throw new IncidentException(IncidentError.Invalid, "lon must be −180…180 and lat −90…90. / 经度应为 −180…180，纬度应为 −90…90。");
        if (edit.Polygon is { Count: > 0 and < 3 })
            throw new IncidentException(IncidentError.Invalid, "A grid polygon needs at least 3 points (lon, lat); an empty list removes it. / 网格多边形至少需要 3 个点（经度, 纬度）；空列表表示删除。");
    }

    /// <summary>The street, community and grid a place moved under <paramref name="parentId"/> belongs to; refuses an unknown parent or one of the wrong level.</summary>
    private async Task<GridRow> AncestorsOfParentAsync(DbConnection connection, DbTransaction tx, PlaceLevel level, string parentId)
    {
        var parentLevel = level - 1;
        var parent = TableOf(parentLevel);
        if (await LineageAsync(connection, tx, parentLevel, parentId).ConfigureAwait(false) is { } found) return found;
        var noun = TableOf(level);
        foreach (var other in Enum.GetValues<PlaceLevel>().Where(l => l != parentLevel).Select(TableOf))
            if (await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {other.Table} WHERE id = @parentId", new { parentId }, tx).ConfigureAwait(false) > 0)
                throw new IncidentException(IncidentError.Invalid,
                    $"'{parentId}' is a {other.Noun}; a {noun.Noun} can only be moved under a {parent.Noun}. / {parentId} 是{other.Zh}，{noun.Zh}只能归属{parent.Zh}。");
        throw new IncidentException(IncidentError.Invalid, $"Unknown {parent.Noun} '{parentId}'. / 没有编号为 {parentId} 的{parent.Zh}。");
    }

    /// <summary>
    /// The grid, community and street a place is in (itself included; below the place's level they stay empty), or null when
    /// it does not exist. Row by row, each under a share lock, from the place up: a move of one of them that another process
    /// has not committed yet is waited for and then followed (one SELECT joining them would drop the row when a join column
    /// changed under it).
    /// </summary>
    private async Task<GridRow?> LineageAsync(DbConnection connection, DbTransaction tx, PlaceLevel level, string id)
    {
        var lineage = new GridRow();
        var key = id;
        for (var l = level; ; l--)
        {
            var upColumn = l == PlaceLevel.Street ? "id" : TableOf(l - 1).ChildColumn;
            var up = await connection.QuerySingleOrDefaultAsync<string>($"SELECT {upColumn} FROM {TableOf(l).Table} WHERE id = @key{_dialect.ShareLock}", new { key }, tx).ConfigureAwait(false);
            if (up is null) return null;
            switch (l)
            {
                case PlaceLevel.Street: lineage.street_id = key; return lineage;
                case PlaceLevel.Community: lineage.community_id = key; break;
                case PlaceLevel.Grid: lineage.id = key; break;
            }
            key = up;
        }
    }

    /// <summary>Points the devices under a moved place at its new ancestors (the levels below stay); returns them as committed.</summary>
    private static async Task<IReadOnlyList<Device>> MoveDevicesUnderAsync(DbConnection connection, DbTransaction tx, PlaceLevel level, string id, GridRow above)
    {
        var column = TableOf(level).Column;
        var changed = await connection.ExecuteAsync($"""
            UPDATE devices SET street_id = @street_id, community_id = COALESCE(@community_id, community_id), grid_id = COALESCE(@grid_id, grid_id)
            WHERE {column} = @id
            """, new { above.street_id, community_id = NullIfEmpty(above.community_id), grid_id = NullIfEmpty(above.id), id }, tx).ConfigureAwait(false);
        if (changed == 0) return [];
        return (await connection.QueryAsync<DeviceRow>($"SELECT * FROM devices WHERE {column} = @id ORDER BY id", new { id }, tx).ConfigureAwait(false)).Select(r => r.AsDevice()).ToList();
    }

    // Dapper leaves a property at its initial value ("") for a NULL column.
    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? PolygonJson(IReadOnlyList<GeoPoint> polygon) => polygon.Count == 0 ? null : JsonSerializer.Serialize(polygon, IncidentJson.Options);

    private static List<GeoPoint>? PolygonOf(string? json) => json is null ? null : JsonSerializer.Deserialize<List<GeoPoint>>(json, IncidentJson.Options);

    private static string PlaceKey(PlaceLevel level, string id) => $"{level.ToString().ToLowerInvariant()}:{id}";

    /// <summary>Another host added, edited, moved or deleted a place: grids may have moved or changed shape, the devices under it
    /// may have moved (read again: a rename reads them for nothing, a move needs it), and screens show the district.</summary>
    private async Task OnPlaceChangedElsewhereAsync(string key, CancellationToken ct)
    {
        _locator = null;
        if (key.Split(':', 2) is not [var levelName, var id] || !Enum.TryParse<PlaceLevel>(levelName, ignoreCase: true, out var level)) return;
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DeviceRow>($"SELECT * FROM devices WHERE {TableOf(level).Column} = @id ORDER BY id", new { id }).ConfigureAwait(false);
        foreach (var row in rows) DeviceChanged?.Invoke(row.AsDevice());
        DistrictChanged?.Invoke();
    }
}
