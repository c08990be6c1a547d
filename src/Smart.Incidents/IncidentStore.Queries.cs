using System.Text;
using System.Text.Json;
using Dapper;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

/// <summary>A page of incidents and how many match in all.</summary>
public sealed record IncidentPage(IReadOnlyList<Incident> Items, long Total);

public sealed partial class IncidentStore
{
    /// <summary>The incident, or null when it does not exist or is outside <paramref name="scope"/>.</summary>
    public async Task<Incident?> GetAsync(long id, Scope scope, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var incident = (await connection.QuerySingleOrDefaultAsync<IncidentRow>("SELECT * FROM incidents WHERE id = @id", new { id }).ConfigureAwait(false))?.AsIncident();
        return incident is not null && scope.Covers(incident) ? incident : null;
    }

    /// <summary>Who did what when (oldest first), or null when the incident is missing or out of scope.</summary>
    public async Task<IReadOnlyList<IncidentHistoryEntry>?> GetHistoryAsync(long id, Scope scope, CancellationToken ct = default)
    {
        if (await GetAsync(id, scope, ct).ConfigureAwait(false) is null) return null;
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<HistoryRow>("SELECT * FROM incident_history WHERE incident_id = @id ORDER BY seq", new { id }).ConfigureAwait(false);
        return rows.Select(r => r.AsEntry()).ToList();
    }

    /// <summary>Incidents matching the query inside <paramref name="scope"/>, newest first.</summary>
    public async Task<IncidentPage> ListAsync(IncidentQuery query, Scope scope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, param) = Where(query, scope);
        param.Add("limit", (long)Math.Clamp(query.Limit, 1, 500));
        param.Add("offset", (long)Math.Max(query.Offset, 0));
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM incidents{where}", param).ConfigureAwait(false);
        var rows = await connection.QueryAsync<IncidentRow>($"SELECT * FROM incidents{where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset", param).ConfigureAwait(false);
        return new IncidentPage(rows.Select(r => r.AsIncident()).ToList(), total);
    }

    /// <summary>
    /// Outbox events with seq &gt; <paramref name="afterSeq"/>, in seq order (all scopes: filter with
    /// <see cref="Scope.Covers(Incident)"/> per connection).
    /// </summary>
    public async Task<IReadOnlyList<IncidentEvent>> ReadEventsAsync(long afterSeq, int max, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(long Seq, string Change, string Payload)>(
            "SELECT seq, change, payload FROM outbox WHERE seq > @afterSeq ORDER BY seq LIMIT @max",
            new { afterSeq, max = (long)Math.Clamp(max, 1, 10_000) }).ConfigureAwait(false);
        return rows.Select(r => new IncidentEvent(r.Seq, r.Change, JsonSerializer.Deserialize<Incident>(r.Payload, IncidentJson.Options)!)).ToList();
    }

    private (string Sql, DynamicParameters Param) Where(IncidentQuery q, Scope scope)
    {
        var sql = new StringBuilder(" WHERE 1 = 1");
        var p = new DynamicParameters();
        void Add(string clause, string name, object? value) { sql.Append(" AND ").Append(clause); p.Add(name, value); }
        switch (scope.Level)
        {
            case ScopeLevel.Street: Add("street_id = @scopeId", "scopeId", scope.Id); break;
            case ScopeLevel.Community: Add("community_id = @scopeId", "scopeId", scope.Id); break;
            case ScopeLevel.Grid: Add("grid_id = @scopeId", "scopeId", scope.Id); break;
        }
        if (q.States is { Count: > 0 }) Add(_dialect.In("state", "states"), "states", q.States.Select(s => s.Name()).ToArray());
        if (q.Open is true) sql.Append(" AND state NOT IN ('closed', 'cancelled')");
        if (q.Open is false) sql.Append(" AND state IN ('closed', 'cancelled')");
        if (q.Severity is { } severity) Add("severity = @severity", "severity", (long)severity);
        if (q.Type is { } type) Add("type = @type", "type", type);
        if (q.Level is { } level) Add("level = @level", "level", level.Name());
        if (q.StreetId is { } street) Add("street_id = @street", "street", street);
        if (q.CommunityId is { } community) Add("community_id = @community", "community", community);
        if (q.GridId is { } grid) Add("grid_id = @grid", "grid", grid);
        if (q.DeviceId is { } device) Add("device_id = @device", "device", device);
        if (q.AssigneeId is { } assignee) Add("assignee_id = @assignee", "assignee", assignee);
        if (q.From is { } from) Add("created_at >= @from", "from", Ms.Of(from));
        if (q.To is { } to) Add("created_at < @to", "to", Ms.Of(to));
        return (sql.ToString(), p);
    }

    /// <summary>KPIs over incidents created in [from, to) within <paramref name="scope"/>, from the stored records.</summary>
    public async Task<IncidentKpis> GetKpisAsync(Scope scope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var (where, param) = Where(new IncidentQuery { From = from, To = to }, scope);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<IncidentRow>($"SELECT * FROM incidents{where}", param).ConfigureAwait(false);
        return IncidentKpiCalculator.Compute(rows.Select(r => r.AsIncident()).ToList(), scope, from, to, _time.GetUtcNow());
    }

    /// <summary>
    /// KPIs of every grid (or community) inside <paramref name="scope"/>, in id order, over incidents created in
    /// [from, to) — the ops-centre's league table. Places without incidents are listed with zero counts.
    /// </summary>
    public async Task<IReadOnlyList<IncidentKpis>> GetKpisByAsync(Scope scope, ScopeLevel by, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        if (by is not (ScopeLevel.Grid or ScopeLevel.Community))
            throw new IncidentException(IncidentError.Invalid, "KPIs can be broken down by grid or community.");
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var places = (await connection.QueryAsync<GridRow>(
            "SELECT g.id, g.community_id, c.street_id FROM grids g JOIN communities c ON c.id = g.community_id").ConfigureAwait(false))
            .Where(p => scope.Level <= by && scope.Covers(new IncidentLocation(p.street_id, p.community_id, p.id)))
            .Select(p => by == ScopeLevel.Grid ? Scope.Grid(p.id) : Scope.Community(p.community_id))
            .Distinct().OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var (where, param) = Where(new IncidentQuery { From = from, To = to }, scope);
        var incidents = (await connection.QueryAsync<IncidentRow>($"SELECT * FROM incidents{where}", param).ConfigureAwait(false)).Select(r => r.AsIncident()).ToList();
        var now = _time.GetUtcNow();
        return places.Select(p => IncidentKpiCalculator.Compute(incidents, p, from, to, now)).ToList();
    }

    /// <summary>Whether <paramref name="inner"/> (a street, community or grid) lies within <paramref name="outer"/>; false if it does not exist.</summary>
    public async Task<bool> IsWithinAsync(Scope outer, Scope inner, CancellationToken ct = default)
    {
        if (inner.Level == ScopeLevel.All) return outer.Level == ScopeLevel.All;
        var sql = inner.Level switch
        {
            ScopeLevel.Street => "SELECT id AS street_id, NULL AS community_id, NULL AS id FROM streets WHERE id = @id",
            ScopeLevel.Community => "SELECT street_id, id AS community_id, NULL AS id FROM communities WHERE id = @id",
            _ => "SELECT c.street_id, g.community_id, g.id FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.id = @id",
        };
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var place = await connection.QuerySingleOrDefaultAsync<GridRow>(sql, new { id = inner.Id }).ConfigureAwait(false);
        if (place is null) return false;
        // A wider place is never within a narrower scope: Covers compares only the outer scope's level.
        return outer.Level <= inner.Level && outer.Covers(new IncidentLocation(place.street_id, place.community_id, place.id));
    }
}
