using Dapper;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

public sealed partial class IncidentStore
{
    // The last active administrator keeps the role: the row may change when it is not an active admin, or another one exists.
    private const string AnotherActiveAdmin = """
        (role <> 'admin' OR deactivated_at IS NOT NULL
         OR EXISTS (SELECT 1 FROM people o WHERE o.role = 'admin' AND o.deactivated_at IS NULL AND o.id <> people.id))
        """;

    private static IncidentException LastAdmin(string username) => new(IncidentError.Conflict,
        $"{username} is the last active administrator; make someone else an administrator first. / {username} 是最后一位在职管理员，请先指定另一位管理员。");

    /// <summary>
    /// Changes a person's name, role, scope and phone (null: none); null when the login name is unknown. A grid worker leaves the rosters of
    /// grids that are no longer theirs. Throws <see cref="IncidentException"/>: Invalid for an empty name or a scope that
    /// does not fit the role, Conflict when the last active administrator would lose the role.
    /// </summary>
    public async Task<Person?> UpdatePersonAsync(string username, string name, Role role, string? scopeId, string? phone = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new IncidentException(IncidentError.Invalid, "name is required. / 姓名必填。");
        ThrowIfScopeNeedlessFor(role, scopeId);
        ThrowIfBadPhone(phone);
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var id = await connection.QuerySingleOrDefaultAsync<string>("SELECT id FROM people WHERE username = @username", new { username }).ConfigureAwait(false);
        if (id is null) return null;
        await ThrowIfScopeMissingAsync(connection, role, scopeId).ConfigureAwait(false);
        // The writers' lock (as for incident events): on PostgreSQL two hosts demoting or deactivating the last two admins at
        // once would otherwise each see the other still active.
        await using var tx = await _dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var roleName = RoleNames.Name(role);
        var updated = await connection.ExecuteAsync($"""
            UPDATE people SET name = @name, role = @roleName, scope_id = @scopeId, phone = @phone
            WHERE id = @id AND (@roleName = 'admin' OR {AnotherActiveAdmin})
            """, new { id, name = name.Trim(), roleName, scopeId, phone }, tx).ConfigureAwait(false);
        if (updated == 0) throw LastAdmin(username);
        await connection.ExecuteAsync(role == Role.GridWorker
            ? "DELETE FROM duty_roster WHERE person_id = @id AND grid_id <> @scopeId"
            : "DELETE FROM duty_roster WHERE person_id = @id", new { id, scopeId }, tx).ConfigureAwait(false);
        await _dialect.NotifyPersonChangedAsync(connection, tx, id).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return RaisePersonChanged((await FindPersonAsync(id, ct).ConfigureAwait(false))!);
    }

    /// <summary>
    /// Deactivates a person (not a delete: incidents and their history keep naming them): they cannot sign in and leave
    /// every duty roster. Null when the login name is unknown; deactivating twice changes nothing. Throws
    /// <see cref="IncidentException"/> (Conflict) for the last active administrator.
    /// </summary>
    public async Task<Person?> DeactivatePersonAsync(string username, CancellationToken ct = default)
    {
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<PersonRow>("SELECT * FROM people WHERE username = @username", new { username }).ConfigureAwait(false);
        if (row is null) return null;
        if (row.deactivated_at is not null) return row.AsPerson();
        // The writers' lock (as for incident events): on PostgreSQL two hosts demoting or deactivating the last two admins at
        // once would otherwise each see the other still active.
        await using var tx = await _dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync($"UPDATE people SET deactivated_at = @at WHERE id = @id AND {AnotherActiveAdmin}",
            new { row.id, at = _time.GetUtcNow().ToUnixTimeMilliseconds() }, tx).ConfigureAwait(false);
        if (updated == 0) throw LastAdmin(username);
        await connection.ExecuteAsync("DELETE FROM duty_roster WHERE person_id = @id", new { row.id }, tx).ConfigureAwait(false);
        await _dialect.NotifyPersonChangedAsync(connection, tx, row.id).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return RaisePersonChanged(row.AsPerson() with { Active = false });
    }

    /// <summary>Lets a deactivated person sign in again (rosters are not restored); null when the login name is unknown.</summary>
    public async Task<Person?> ReactivatePersonAsync(string username, CancellationToken ct = default)
    {
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE people SET deactivated_at = NULL WHERE username = @username", new { username }).ConfigureAwait(false);
        if ((await connection.QuerySingleOrDefaultAsync<PersonRow>("SELECT * FROM people WHERE username = @username", new { username }).ConfigureAwait(false))?.AsPerson() is not { } person)
            return null;
        await _dialect.NotifyPersonChangedAsync(connection, null, person.Id).ConfigureAwait(false);
        return RaisePersonChanged(person);
    }

    /// <summary>
    /// 改派: dispatches the incidents a person has in hand (dispatched, accepted or on site) to whoever is on duty in each
    /// incident's grid (as <paramref name="actor"/>, with the reason in the history). Used when the person is
    /// deactivated. Incidents whose grid has nobody else on duty stay as they are (their time limits escalate them).
    /// Returns the changes made.
    /// </summary>
    public async Task<IReadOnlyList<IncidentChange>> RedispatchInHandAsync(string personId, Actor actor, string reason, CancellationToken ct = default)
    {
        IReadOnlyList<long> ids;
        await using (var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false))
            ids = (await connection.QueryAsync<long>("SELECT id FROM incidents WHERE assignee_id = @personId AND state IN ('dispatched', 'accepted', 'on_site') ORDER BY id",
                new { personId }).ConfigureAwait(false)).ToList();
        var changes = new List<IncidentChange>();
        foreach (var id in ids)
        {
            try { changes.Add(await TransitionAsync(id, IncidentAction.Dispatch, actor, reason, ct: ct).ConfigureAwait(false)); }
            catch (IncidentException e) when (e.Error is IncidentError.Invalid or IncidentError.InvalidTransition) { /* nobody else on duty, or it moved meanwhile */ }
        }
        return changes;
    }

    /// <summary>How many incidents the person has in hand (dispatched, accepted or on site).</summary>
    public async Task<long> CountIncidentsInHandAsync(string personId, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM incidents WHERE assignee_id = @personId AND state IN ('dispatched', 'accepted', 'on_site')",
            new { personId }).ConfigureAwait(false);
    }
}
