using Smart.Core;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

public sealed partial class IncidentStore
{
    private GridLocator? _locator;

#pragma warning disable IDE1006
    private sealed class RosterRow { public string person_id { get; set; } = ""; public long start_min { get; set; } public long end_min { get; set; } }
    private sealed class LoadRow { public string assignee_id { get; set; } = ""; public long n { get; set; } }
    private sealed class GridRow { public string id { get; set; } = ""; public string community_id { get; set; } = ""; public string street_id { get; set; } = ""; public string? polygon { get; set; } }
#pragma warning restore IDE1006

    /// <summary>
    /// The on-duty grid worker of the grid with the fewest incidents in hand (ties: lowest id), or null;
    /// <paramref name="prefer"/> whenever they are one of those on duty.
    /// </summary>
    private async Task<string?> PickOnDutyAsync(WriteTx w, string gridId, string? prefer = null)
    {
        var roster = await w.ManyAsync<RosterRow>("""
            SELECT r.person_id, r.start_min, r.end_min FROM duty_roster r JOIN people p ON p.id = r.person_id
            WHERE r.grid_id = @gridId AND p.role = 'grid_worker' AND p.deactivated_at IS NULL
            """, new { gridId }).ConfigureAwait(false);
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(w.Now, _zone).DateTime);
        var onDuty = roster.Where(r => Shift(gridId, r).Covers(local)).Select(r => r.person_id).Distinct().ToList();
        if (onDuty.Count == 0) return null;
        if (prefer is not null && onDuty.Contains(prefer, StringComparer.Ordinal)) return prefer;
        var loads = (await w.ManyAsync<LoadRow>($"""
            SELECT assignee_id, COUNT(*) AS n FROM incidents
            WHERE {_dialect.In("assignee_id", "onDuty")} AND state IN ('dispatched', 'accepted', 'on_site') GROUP BY assignee_id
            """, new { onDuty }).ConfigureAwait(false)).ToDictionary(l => l.assignee_id, l => l.n);
        return onDuty.OrderBy(p => loads.GetValueOrDefault(p)).ThenBy(p => p, StringComparer.Ordinal).First();
    }

    private static DutyShift Shift(string gridId, RosterRow r) =>
        new(gridId, r.person_id, TimeOnly.MinValue.AddMinutes(r.start_min), TimeOnly.MinValue.AddMinutes(r.end_min));

    /// <summary>The assignee of a dispatch: the named person if they may work this incident, else the least-loaded on duty.</summary>
    private async Task<string> ResolveAssigneeAsync(WriteTx w, Incident incident, string? assigneeId)
    {
        if (assigneeId is null)
            return await PickOnDutyAsync(w, incident.Location.GridId).ConfigureAwait(false)
                ?? throw new IncidentException(IncidentError.Invalid, $"Nobody is on duty in grid {incident.Location.GridId}; name an assignee to dispatch incident {incident.Id}.");
        var person = (await w.OneAsync<PersonRow>("SELECT * FROM people WHERE id = @assigneeId", new { assigneeId }).ConfigureAwait(false))?.AsPerson()
            ?? throw new IncidentException(IncidentError.Invalid, $"Unknown assignee '{assigneeId}'.");
        if (!person.Active) throw new IncidentException(IncidentError.Invalid, $"{person.Id} is deactivated; dispatch incident {incident.Id} to someone else. / {person.Id} 已停用，请改派他人。");
        if (person.Role is not (Role.GridWorker or Role.CommunityStaff or Role.StreetStaff) || !Scope.For(person.Role, person.ScopeId).Covers(incident))
            throw new IncidentException(IncidentError.Invalid, $"{person.Id} ({RoleNames.Name(person.Role)} of {person.ScopeId}) cannot work incident {incident.Id} in grid {incident.Location.GridId}.");
        return person.Id;
    }

    /// <summary>Where a manual report is: a building, a grid, or a point inside a grid polygon.</summary>
    private async Task<IncidentLocation> LocateAsync(WriteTx w, ManualReport report)
    {
        const string gridSql = "SELECT g.id, g.community_id, c.street_id, g.polygon FROM grids g JOIN communities c ON c.id = g.community_id";
        if (report.BuildingId is { } buildingId)
        {
            var grid = await w.OneAsync<GridRow>($"{gridSql} JOIN buildings b ON b.grid_id = g.id WHERE b.id = @buildingId", new { buildingId }).ConfigureAwait(false)
                ?? throw new IncidentException(IncidentError.Invalid, $"Unknown building '{buildingId}'.");
            return new IncidentLocation(grid.street_id, grid.community_id, grid.id, buildingId, report.Point);
        }
        if (report.GridId is { } gridId)
        {
            var grid = await w.OneAsync<GridRow>($"{gridSql} WHERE g.id = @gridId", new { gridId }).ConfigureAwait(false)
                ?? throw new IncidentException(IncidentError.Invalid, $"Unknown grid '{gridId}'.");
            return new IncidentLocation(grid.street_id, grid.community_id, grid.id, null, report.Point);
        }
        if (report.Point is not { } point)
            throw new IncidentException(IncidentError.Invalid, "A report needs a location: buildingId, gridId or a point (lon, lat).");
        var locator = _locator ??= GridLocator.Create((await w.ManyAsync<GridRow>(gridSql).ConfigureAwait(false))
            .Select(g => new GridLocator.Area(new IncidentLocation(g.street_id, g.community_id, g.id), g.polygon)));
        return locator.Find(point) is { } found ? found with { Point = point }
            : throw new IncidentException(IncidentError.Invalid, $"The point ({point.Lon}, {point.Lat}) is in no grid of the district; give a gridId instead.");
    }
}
