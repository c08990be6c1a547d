using System.Text.Json;
using Dapper;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

public sealed partial class IncidentStore
{
    /// <summary>Loads the hierarchy, devices, people and duty roster; rows that exist are left as they are (idempotent).</summary>
    public async Task LoadDistrictAsync(DemoDistrict district, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(district);
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        async Task Insert(string sql, object rows) => await connection.ExecuteAsync(sql, rows, tx).ConfigureAwait(false);
        await Insert("INSERT INTO streets (id, name) VALUES (@Id, @Name) ON CONFLICT (id) DO NOTHING", district.Streets);
        await Insert("INSERT INTO communities (id, street_id, name) VALUES (@Id, @StreetId, @Name) ON CONFLICT (id) DO NOTHING", district.Communities);
        await Insert("INSERT INTO grids (id, community_id, name, polygon) VALUES (@Id, @CommunityId, @Name, @polygon) ON CONFLICT (id) DO NOTHING",
            district.Grids.Select(g => new { g.Id, g.CommunityId, g.Name, polygon = g.Polygon is null ? null : JsonSerializer.Serialize(g.Polygon, IncidentJson.Options) }));
        await Insert("INSERT INTO buildings (id, grid_id, name, floors, lon, lat) VALUES (@Id, @GridId, @Name, @floors, @lon, @lat) ON CONFLICT (id) DO NOTHING",
            district.Buildings.Select(b => new { b.Id, b.GridId, b.Name, floors = (long)b.Floors, lon = b.Location.Lon, lat = b.Location.Lat }));
        await Insert("""
            INSERT INTO devices (id, kind, building_id, grid_id, community_id, street_id, lon, lat, retired)
            VALUES (@Id, @kind, @BuildingId, @GridId, @CommunityId, @StreetId, @lon, @lat, @retired) ON CONFLICT (id) DO NOTHING
            """, district.Devices.Select(d => new { d.Id, kind = d.Kind.Name(), d.BuildingId, d.GridId, d.CommunityId, d.StreetId,
                lon = d.Location?.Lon, lat = d.Location?.Lat, retired = d.Retired ? 1L : 0L }));
        await Insert("INSERT INTO people (id, name, role, scope_id, username) VALUES (@Id, @Name, @role, @ScopeId, @Username) ON CONFLICT (id) DO NOTHING",
            district.People.Select(p => new { p.Id, p.Name, role = RoleNames.Name(p.Role), p.ScopeId, p.Username }));
        await Insert("INSERT INTO duty_roster (grid_id, person_id, start_min, end_min) VALUES (@GridId, @PersonId, @start, @end) ON CONFLICT DO NOTHING",
            district.Roster.Select(r => new { r.GridId, r.PersonId, start = (long)(r.Start.Hour * 60 + r.Start.Minute), end = (long)(r.End.Hour * 60 + r.End.Minute) }));
        await tx.CommitAsync(ct).ConfigureAwait(false);
        _locator = null;
    }

    /// <summary>
    /// Replaces a grid's duty roster (值班表) with the given shifts. Throws <see cref="IncidentException"/> (Invalid) for an
    /// unknown grid or a shift whose person is not an active grid worker of that grid.
    /// </summary>
    public async Task SetRosterAsync(string gridId, IReadOnlyList<DutyShift> shifts, CancellationToken ct = default)
    {
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM grids WHERE id = @gridId", new { gridId }).ConfigureAwait(false) == 0)
            throw new IncidentException(IncidentError.Invalid, $"Unknown grid '{gridId}'.");
        var workers = (await connection.QueryAsync<string>("SELECT id FROM people WHERE role = 'grid_worker' AND scope_id = @gridId AND deactivated_at IS NULL", new { gridId }).ConfigureAwait(false)).ToHashSet();
        if (shifts.FirstOrDefault(s => !workers.Contains(s.PersonId)) is { } stranger)
            throw new IncidentException(IncidentError.Invalid, $"'{stranger.PersonId}' is not an active grid worker of grid '{gridId}'.");
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync("DELETE FROM duty_roster WHERE grid_id = @gridId", new { gridId }, tx).ConfigureAwait(false);
        await connection.ExecuteAsync("INSERT INTO duty_roster (grid_id, person_id, start_min, end_min) VALUES (@gridId, @PersonId, @start, @end)",
            shifts.Select(r => new { gridId, r.PersonId, start = (long)(r.Start.Hour * 60 + r.Start.Minute), end = (long)(r.End.Hour * 60 + r.End.Minute) }), tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers a device in a building (its grid, community and street follow from the building). Throws
    /// <see cref="IncidentException"/> (Invalid) for a bad id, an unknown building or an id already taken.
    /// </summary>
    public async Task<Device> RegisterDeviceAsync(string id, DeviceKind kind, string buildingId, GeoPoint? location = null, Scope? scope = null, CancellationToken ct = default)
    {
        if (!DeviceTopic.IsValidDeviceId(id))
            throw new IncidentException(IncidentError.Invalid, $"Device id '{id}' must match [A-Za-z0-9_-]{{1,64}} (DESIGN §5).");
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        // Under the building's and its grid's share locks: a move of either on another host commits first (and the device
        // follows it) or waits for this insert (and moves it along).
        var place = await LineageAsync(connection, tx, PlaceLevel.Building, buildingId).ConfigureAwait(false)
            ?? throw new IncidentException(IncidentError.Invalid, $"Unknown building '{buildingId}'.");
        if (scope is not null && !scope.Covers(new IncidentLocation(place.street_id, place.community_id, place.id)))
            throw new IncidentException(IncidentError.Forbidden, $"Building {buildingId} (grid {place.id}) is outside your area ({scope}). / 楼栋 {buildingId} 不在您的辖区内。");
        var device = new Device(id, kind, buildingId, place.id, place.community_id, place.street_id, location);
        var inserted = await connection.ExecuteAsync("""
            INSERT INTO devices (id, kind, building_id, grid_id, community_id, street_id, lon, lat, retired)
            VALUES (@Id, @kind, @BuildingId, @GridId, @CommunityId, @StreetId, @lon, @lat, 0) ON CONFLICT (id) DO NOTHING
            """, new { device.Id, kind = kind.Name(), device.BuildingId, device.GridId, device.CommunityId, device.StreetId, lon = location?.Lon, lat = location?.Lat }, tx).ConfigureAwait(false);
        if (inserted != 1) throw new IncidentException(IncidentError.Invalid, $"Device '{id}' is already registered.");
        await _dialect.NotifyDirectoryChangedAsync(connection, tx, DirectoryEntry.Device, id).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return RaiseDeviceChanged(device);
    }

    /// <summary>Retires a device (it raises no more incidents; its history stays). Null when unknown or outside <paramref name="scope"/>.</summary>
    public async Task<Device?> RetireDeviceAsync(string id, Scope scope, CancellationToken ct = default)
    {
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync($"UPDATE devices SET retired = 1 WHERE id = @id AND {ScopeClause(scope)}", new { id, scopeId = scope.Id }).ConfigureAwait(false);
        if (updated == 0 || await GetDeviceAsync(id, scope, ct).ConfigureAwait(false) is not { } device) return null;
        await _dialect.NotifyDirectoryChangedAsync(connection, null, DirectoryEntry.Device, id).ConfigureAwait(false);
        return RaiseDeviceChanged(device);
    }

    /// <summary>
    /// 维护/测试: puts a device under maintenance until <paramref name="until"/> with a <paramref name="note"/>; ending it
    /// early sets <paramref name="until"/> to now (readings taken before then still count as the maintenance's when they
    /// arrive late). Null when the device is unknown, retired or outside <paramref name="scope"/>.
    /// </summary>
    public async Task<Device?> SetMaintenanceAsync(string id, DateTimeOffset until, string? note, Scope scope, CancellationToken ct = default)
    {
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync($"UPDATE devices SET maintenance_until = @until, maintenance_note = @note WHERE id = @id AND retired = 0 AND {ScopeClause(scope)}",
            new { id, until = until.ToUnixTimeMilliseconds(), note, scopeId = scope.Id }).ConfigureAwait(false);
        if (updated == 0 || await GetDeviceAsync(id, scope, ct).ConfigureAwait(false) is not { } device) return null;
        await _dialect.NotifyDirectoryChangedAsync(connection, null, DirectoryEntry.Device, id).ConfigureAwait(false);
        return RaiseDeviceChanged(device);
    }

    /// <summary>
    /// Moves a device to another building (its grid, community and street follow) and, when given, to another point. Null
    /// when the device is unknown or outside <paramref name="scope"/>. Throws <see cref="IncidentException"/>: Invalid for an
    /// unknown building, Forbidden for a building outside <paramref name="scope"/>. Its open incidents stay where they were raised.
    /// </summary>
    public async Task<Device?> MoveDeviceAsync(string id, string buildingId, Scope scope, GeoPoint? location = null, CancellationToken ct = default)
    {
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (await connection.QuerySingleOrDefaultAsync<DeviceRow>($"SELECT * FROM devices WHERE id = @id AND {ScopeClause(scope)}", new { id, scopeId = scope.Id }, tx).ConfigureAwait(false) is not { } row)
            return null;
        var place = await LineageAsync(connection, tx, PlaceLevel.Building, buildingId).ConfigureAwait(false)
            ?? throw new IncidentException(IncidentError.Invalid, $"Unknown building '{buildingId}'. / 没有编号为 {buildingId} 的楼栋。");
        if (!scope.Covers(new IncidentLocation(place.street_id, place.community_id, place.id)))
            throw new IncidentException(IncidentError.Forbidden, $"Building {buildingId} (grid {place.id}) is outside your area ({scope}). / 楼栋 {buildingId} 不在您的辖区内。");
        var device = row.AsDevice() with { BuildingId = buildingId, GridId = place.id, CommunityId = place.community_id, StreetId = place.street_id, Location = location ?? row.AsDevice().Location };
        await connection.ExecuteAsync("""
            UPDATE devices SET building_id = @BuildingId, grid_id = @GridId, community_id = @CommunityId, street_id = @StreetId, lon = @lon, lat = @lat WHERE id = @Id
            """, new { device.Id, device.BuildingId, device.GridId, device.CommunityId, device.StreetId, lon = device.Location?.Lon, lat = device.Location?.Lat }, tx).ConfigureAwait(false);
        await _dialect.NotifyDirectoryChangedAsync(connection, tx, DirectoryEntry.Device, id).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return RaiseDeviceChanged(device);
    }

    /// <summary>Every device, retired ones too (the bridge's directory and the broker's logins; no page limit).</summary>
    public async Task<IReadOnlyList<Device>> AllDevicesAsync(CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await connection.QueryAsync<DeviceRow>("SELECT * FROM devices ORDER BY id").ConfigureAwait(false)).Select(r => r.AsDevice()).ToList();
    }

    /// <summary>A page of the devices inside <paramref name="scope"/> (at most 5000), optionally of one kind or grid, by id.</summary>
    public async Task<IReadOnlyList<Device>> ListDevicesAsync(Scope scope, DeviceKind? kind = null, string? gridId = null, int offset = 0, int limit = 500, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DeviceRow>($"""
            SELECT * FROM devices WHERE {ScopeClause(scope)} AND (@kind IS NULL OR kind = @kind) AND (@gridId IS NULL OR grid_id = @gridId)
            ORDER BY id LIMIT @limit OFFSET @offset
            """, new { scopeId = scope.Id, kind = kind?.Name(), gridId, limit = (long)Math.Clamp(limit, 1, 5000), offset = (long)Math.Max(offset, 0) }).ConfigureAwait(false);
        return rows.Select(r => r.AsDevice()).ToList();
    }

    /// <summary>How many devices inside <paramref name="scope"/> (retired ones too), optionally of one kind or grid, there are: a list's total.</summary>
    public async Task<long> CountDevicesAsync(Scope scope, DeviceKind? kind = null, string? gridId = null, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM devices WHERE {ScopeClause(scope)} AND (@kind IS NULL OR kind = @kind) AND (@gridId IS NULL OR grid_id = @gridId)",
            new { scopeId = scope.Id, kind = kind?.Name(), gridId }).ConfigureAwait(false);
    }

    /// <summary>The device, or null when unknown or outside <paramref name="scope"/>.</summary>
    public async Task<Device?> GetDeviceAsync(string id, Scope scope, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<DeviceRow>($"SELECT * FROM devices WHERE id = @id AND {ScopeClause(scope)}", new { id, scopeId = scope.Id }).ConfigureAwait(false);
        return row?.AsDevice();
    }

    private static string ScopeClause(Scope scope) => scope.Level switch
    {
        ScopeLevel.Street => "street_id = @scopeId",
        ScopeLevel.Community => "community_id = @scopeId",
        ScopeLevel.Grid => "grid_id = @scopeId",
        _ => "1 = 1",
    };
}
