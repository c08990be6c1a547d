using System.Data.Common;
using System.Text.Json;
using Dapper;
using Smart.Core.Incidents;

namespace Smart.Incidents.Data;

/// <summary>
/// One write transaction (holding the writers' lock): queries, and <see cref="EmitAsync"/> which records a change in
/// history and the outbox under the next seq, in the same transaction as the change itself.
/// </summary>
internal sealed class WriteTx(DbConnection connection, DbTransaction transaction, DateTimeOffset now)
{
    public DateTimeOffset Now { get; } = now;
    public long NowMs { get; } = Ms.Of(now);
    public List<IncidentEvent> Events { get; } = [];

    public Task<T?> OneAsync<T>(string sql, object? param = null) => connection.QuerySingleOrDefaultAsync<T>(sql, param, transaction);

    public Task<IEnumerable<T>> ManyAsync<T>(string sql, object? param = null) => connection.QueryAsync<T>(sql, param, transaction);

    public Task<T?> ScalarAsync<T>(string sql, object? param = null) => connection.ExecuteScalarAsync<T>(sql, param, transaction);

    public Task<int> ExecAsync(string sql, object? param = null) => connection.ExecuteAsync(sql, param, transaction);

    public async Task<Incident?> LoadAsync(long id) =>
        (await OneAsync<IncidentRow>("SELECT * FROM incidents WHERE id = @id", new { id }).ConfigureAwait(false))?.AsIncident();

    /// <summary>Records the change (who, when, why, from/to) and its event with the snapshot after the change.</summary>
    public async Task<IncidentEvent> EmitAsync(long incidentId, string change, IncidentState? from, Actor actor, string? note)
    {
        var incident = await LoadAsync(incidentId).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Incident {incidentId} vanished inside its own transaction.");
        // One round trip (inside the writers' lock): next seq, history row and outbox row.
        var seq = await ScalarAsync<long>("""
            UPDATE outbox_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq;
            INSERT INTO incident_history (seq, incident_id, change, from_state, to_state, level, actor_id, actor_role, note, at)
            SELECT seq, @incidentId, @change, @from, @to, @level, @actorId, @actorRole, @note, @at FROM outbox_counter WHERE id = 1;
            INSERT INTO outbox (seq, incident_id, change, at, payload)
            SELECT seq, @incidentId, @change, @at, @payload FROM outbox_counter WHERE id = 1;
            """, new
        {
            incidentId, change, from = from?.Name(), to = incident.State.Name(), level = incident.Level.Name(),
            actorId = actor.Id, actorRole = actor.RoleName, note, at = NowMs, payload = JsonSerializer.Serialize(incident, IncidentJson.Options),
        }).ConfigureAwait(false);
        var ev = new IncidentEvent(seq, change, incident);
        Events.Add(ev);
        return ev;
    }
}
