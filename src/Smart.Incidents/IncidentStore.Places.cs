using Dapper;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

/// <summary>A level of the district: street (街道), community (社区), grid (网格), building (楼栋).</summary>
public enum PlaceLevel { Street, Community, Grid, Building }

public sealed partial class IncidentStore
{
    private sealed record PlaceTable(string Table, string Noun, string Zh, string? ChildTable, string? ChildColumn, string ChildZh, string Column, string? PersonRole);

    // What points at a place: its children, devices (by their denormalised column), people scoped to it, incidents.
    private static PlaceTable TableOf(PlaceLevel level) => level switch
    {
        PlaceLevel.Street => new("streets", "street", "街道", "communities", "street_id", "社区", "street_id", "street_staff"),
        PlaceLevel.Community => new("communities", "community", "社区", "grids", "community_id", "网格", "community_id", "community_staff"),
        PlaceLevel.Grid => new("grids", "grid", "网格", "buildings", "grid_id", "楼栋", "grid_id", "grid_worker"),
        _ => new("buildings", "building", "楼栋", null, null, "", "building_id", null),
    };

    /// <summary>
    /// Deletes an empty place; false when there is no such place. Throws <see cref="IncidentException"/> (Conflict), naming
    /// what is left, while it still has child places, devices (retired ones too), people scoped to it or incidents.
    /// </summary>
    public async Task<bool> DeletePlaceAsync(PlaceLevel level, string id, CancellationToken ct = default)
    {
        var place = TableOf(level);
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        async Task<long> Count(string sql) => await connection.ExecuteScalarAsync<long>(sql, new { id, role = place.PersonRole }, tx).ConfigureAwait(false);
        if (await Count($"SELECT COUNT(*) FROM {place.Table} WHERE id = @id") == 0) return false;
        var children = place.ChildTable is null ? 0 : await Count($"SELECT COUNT(*) FROM {place.ChildTable} WHERE {place.ChildColumn} = @id");
        var devices = await Count($"SELECT COUNT(*) FROM devices WHERE {place.Column} = @id");
        var people = place.PersonRole is null ? 0 : await Count("SELECT COUNT(*) FROM people WHERE role = @role AND scope_id = @id");
        var incidents = await Count($"SELECT COUNT(*) FROM incidents WHERE {place.Column} = @id");
        List<(long N, string En, string Zh)> left = [(children, $"{place.ChildTable}", $"个{place.ChildZh}"), (devices, "devices", "台设备"),
            (people, "people", "名人员"), (incidents, "incidents", "起事件")];
        left.RemoveAll(l => l.N == 0);
        if (left.Count > 0)
        {
            // What the administrator can do about each: delete the empty places below, give the people another area;
            // devices (retired ones too) and incidents are kept for the record, so a place that had any stays.
            var (en, zh) = (new List<string>(), new List<string>());
            if (children > 0) { en.Add($"delete its {place.ChildTable} first (only empty ones)"); zh.Add($"先删除其下的{place.ChildZh}（须为空）"); }
            if (people > 0) { en.Add("give its people another area (PUT /api/people/{username})"); zh.Add("把人员改到其他辖区"); }
            if (devices + incidents > 0) { en.Add("devices and incidents are kept for the record, so it can only be renamed"); zh.Add("设备和事件记录需保留，只能改名"); }
            throw new IncidentException(IncidentError.Conflict,
                $"{place.Noun} {id} still has {string.Join(", ", left.Select(l => $"{l.N} {l.En}"))}; only an empty {place.Noun} can be deleted: {string.Join("; ", en)}."
                + $" / {place.Zh} {id} 仍有 {string.Join("、", left.Select(l => $"{l.N}{l.Zh}"))}，只能删除空的{place.Zh}：{string.Join("；", zh)}。");
        }
        await connection.ExecuteAsync($"DELETE FROM {place.Table} WHERE id = @id", new { id }, tx).ConfigureAwait(false);
        if (level == PlaceLevel.Grid) await connection.ExecuteAsync("DELETE FROM duty_roster WHERE grid_id = @id", new { id }, tx).ConfigureAwait(false);
        await NotifyPlaceChangedAsync(connection, tx, level, id).ConfigureAwait(false); // other hosts' screens and grid locators
        await tx.CommitAsync(ct).ConfigureAwait(false);
        if (level == PlaceLevel.Grid) _locator = null;
        DistrictChanged?.Invoke();
        return true;
    }
}
