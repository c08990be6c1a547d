using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

public sealed partial class IncidentStore
{
#pragma warning disable IDE1006
    private sealed class TimerRow { public long id { get; set; } public long incident_id { get; set; } public string kind { get; set; } = ""; public long due_at { get; set; } }
#pragma warning restore IDE1006

    /// <summary>
    /// Escalates every incident whose accept/arrive/resolve/verify limit is due at <paramref name="now"/> and still unmet: one
    /// level up (grid → community → street, event <c>escalated</c>) or, already at street level, event <c>overdue</c>.
    /// Each missed limit is handled exactly once, also with several processes on one PostgreSQL (claimed with
    /// <c>FOR UPDATE SKIP LOCKED</c> inside the writers' lock). Returns how many limits were handled by this call.
    /// </summary>
    public async Task<int> ProcessDueTimersAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var total = 0;
        while (true)
        {
            var (handled, claimed) = await WriteAsync(w => ProcessBatchAsync(w), ct, now).ConfigureAwait(false);
            total += handled;
            if (claimed < _options.TimerBatchSize) return total;
        }
    }

    /// <summary>Same, at the store clock's current time.</summary>
    public Task<int> ProcessDueTimersAsync(CancellationToken ct = default) => ProcessDueTimersAsync(_time.GetUtcNow(), ct);

    /// <summary>The earliest pending deadline, so a timer service can sleep until then (null: none pending).</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var ms = await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection, "SELECT MIN(due_at) FROM sla_timers WHERE status = 'pending'").ConfigureAwait(false);
        return Ms.ToTime(ms);
    }

    private async Task<(int Handled, int Claimed)> ProcessBatchAsync(WriteTx w)
    {
        var due = (await w.ManyAsync<TimerRow>(
            $"SELECT id, incident_id, kind, due_at FROM sla_timers WHERE status = 'pending' AND due_at <= @now ORDER BY due_at, id LIMIT @n{_dialect.SkipLocked}",
            new { now = w.NowMs, n = (long)_options.TimerBatchSize }).ConfigureAwait(false)).ToList();
        var handled = 0;
        foreach (var timer in due)
            if (await HandleTimerAsync(w, timer).ConfigureAwait(false)) handled++;
        return (handled, due.Count);
    }

    /// <summary>
    /// Fires the incident's limits that are already due before a transition changes its state, so a late accept or
    /// arrival still escalates even if no timer pass ran in between. Returns the incident as it is now.
    /// </summary>
    private async Task<Incident> FireOverdueAsync(WriteTx w, Incident incident)
    {
        var due = (await w.ManyAsync<TimerRow>(
            "SELECT id, incident_id, kind, due_at FROM sla_timers WHERE incident_id = @id AND status = 'pending' AND due_at <= @now ORDER BY due_at, id",
            new { id = incident.Id, now = w.NowMs }).ConfigureAwait(false)).ToList();
        var fired = false;
        foreach (var timer in due) fired |= await HandleTimerAsync(w, timer).ConfigureAwait(false);
        return fired ? (await w.LoadAsync(incident.Id).ConfigureAwait(false))! : incident;
    }

    /// <summary>Fires (escalates) or voids one due timer; true when it escalated.</summary>
    private async Task<bool> HandleTimerAsync(WriteTx w, TimerRow timer)
    {
        var incident = await w.LoadAsync(timer.incident_id).ConfigureAwait(false);
        var missed = incident is not null && IsUnmet(incident.State, timer.kind);
        await w.ExecAsync("UPDATE sla_timers SET status = @status, done_at = @now, done_by = @by WHERE id = @id",
            new { status = missed ? "fired" : "void", now = w.NowMs, by = _options.InstanceId, id = timer.id }).ConfigureAwait(false);
        if (missed) await EscalateAsync(w, incident!, timer).ConfigureAwait(false);
        return missed;
    }

    private static async Task EscalateAsync(WriteTx w, Incident incident, TimerRow timer)
    {
        var why = $"{LimitName(timer.kind)}超时 missed {timer.kind} limit (due {Ms.ToTime(timer.due_at):u})";
        if (incident.Level.Up() is not { } up)
        {
            await w.EmitAsync(incident.Id, "overdue", incident.State, Actor.System, $"{why}; already at street level").ConfigureAwait(false);
            return;
        }
        await w.ExecAsync("UPDATE incidents SET level = @level, escalation_count = escalation_count + 1, updated_at = @now WHERE id = @id",
            new { level = up.Name(), now = w.NowMs, id = incident.Id }).ConfigureAwait(false);
        await w.EmitAsync(incident.Id, "escalated", incident.State, Actor.System, $"{why} → {up.Name()}").ConfigureAwait(false);
    }

    /// <summary>Whether a limit of this kind is still unmet in this state.</summary>
    private static bool IsUnmet(IncidentState state, string kind) => kind switch
    {
        "accept" => state is IncidentState.New or IncidentState.Dispatched or IncidentState.Reopened,
        "arrive" => state is IncidentState.New or IncidentState.Dispatched or IncidentState.Reopened or IncidentState.Accepted,
        "resolve" => state is not (IncidentState.Resolved or IncidentState.Closed or IncidentState.Cancelled),
        "verify" => state is IncidentState.Resolved,
        _ => false,
    };

    private static string LimitName(string kind) => kind switch
    {
        "accept" => "接单", "arrive" => "到场", "resolve" => "办结", "verify" => "核查", _ => "",
    };

    private static readonly string[] HandlingLimits = ["accept", "arrive", "resolve"];

    /// <summary>
    /// Starts the time limits named in <paramref name="kinds"/> (accept, arrive, resolve by default; verify) from
    /// <paramref name="from"/>: a pending timer of those kinds is voided, a new one scheduled, the incident's due time set
    /// (none for a limit of zero: that type has no such limit).
    /// </summary>
    private static async Task ScheduleAsync(WriteTx w, long incidentId, SlaLimits limits, DateTimeOffset from, params string[] kinds)
    {
        foreach (var kind in kinds.Length == 0 ? HandlingLimits : kinds)
        {
            var limit = kind switch
            {
                "accept" => limits.Accept, "arrive" => limits.Arrive, "resolve" => limits.Resolve, "verify" => limits.Verify,
                _ => throw new ArgumentOutOfRangeException(nameof(kinds), kind, "not a time limit"),
            };
            long? due = limit > TimeSpan.Zero ? Ms.Of(from + limit) : null;
            // The column name comes from the fixed list above, never from input.
            await w.ExecAsync($"""
                UPDATE sla_timers SET status = 'void', done_at = @now WHERE incident_id = @incidentId AND status = 'pending' AND kind = @kind;
                {(due is null ? "" : "INSERT INTO sla_timers (incident_id, kind, due_at, status) VALUES (@incidentId, @kind, @due, 'pending');")}
                UPDATE incidents SET {kind}_due_at = @due WHERE id = @incidentId;
                """, new { incidentId, kind, due, now = w.NowMs }).ConfigureAwait(false);
        }
    }
}
