using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

public sealed partial class IncidentStore
{
    /// <summary>
    /// Moves an incident through the state machine (<see cref="IncidentWorkflow"/>) as <paramref name="actor"/>, recording
    /// who/when/why and emitting the event. <paramref name="note"/> is the reason for cancel and reopen (required) and
    /// the remark otherwise; <paramref name="assigneeId"/> is for dispatch (null: the least-loaded on-duty grid worker).
    /// Throws <see cref="IncidentException"/>: NotFound (missing or out of scope), Forbidden, InvalidTransition, Invalid.
    /// </summary>
    public Task<IncidentChange> TransitionAsync(long id, IncidentAction action, Actor actor, string? note = null,
        string? assigneeId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return WriteAsync(async w =>
        {
            var incident = await w.LoadAsync(id).ConfigureAwait(false) ?? throw NotFound(id);
            var target = IncidentWorkflow.Validate(actor, incident, action, note);
            incident = await FireOverdueAsync(w, incident).ConfigureAwait(false);
            var assignee = action == IncidentAction.Dispatch ? await ResolveAssigneeAsync(w, incident, assigneeId).ConfigureAwait(false) : null;
            if (assignee is not null && assignee == incident.AssigneeId && IncidentWorkflow.IsInHand(incident.State))
                throw new IncidentException(IncidentError.Invalid, $"Incident {id} is already with {assignee}; re-dispatch it to someone else. / 该事件已由 {assignee} 处理，请改派他人。");
            await ApplyAsync(w, incident, action, target, note, assignee).ConfigureAwait(false);
            var remark = assignee is null ? note : $"→ {assignee}{(note is null ? "" : ": " + note)}";
            return new IncidentChange(await w.EmitAsync(id, IncidentWorkflow.ChangeName(target), incident.State, actor, remark).ConfigureAwait(false));
        }, ct);
    }

    /// <summary>反馈评价: satisfaction 1–5 (and a comment) on a resolved or closed incident; emits <c>feedback</c>.</summary>
    public Task<IncidentChange> FeedbackAsync(long id, int satisfaction, string? comment, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return WriteAsync(async w =>
        {
            var incident = await w.LoadAsync(id).ConfigureAwait(false) ?? throw NotFound(id);
            if (!actor.Scope.Covers(incident)) throw NotFound(id);
            if (!IncidentWorkflow.MayGiveFeedback(actor, incident))
                throw new IncidentException(IncidentError.Forbidden, $"A {actor.RoleName} may not rate incident {id}.");
            if (incident.State is not (IncidentState.Resolved or IncidentState.Closed))
                throw new IncidentException(IncidentError.InvalidTransition, $"Incident {id} is {incident.State.Name()}; feedback is for resolved or closed incidents.");
            if (satisfaction is < 1 or > 5)
                throw new IncidentException(IncidentError.Invalid, $"Satisfaction must be 1–5 (got {satisfaction}).");
            await w.ExecAsync("UPDATE incidents SET satisfaction = @satisfaction, feedback_comment = @comment, updated_at = @now WHERE id = @id",
                new { satisfaction = (long)satisfaction, comment, now = w.NowMs, id }).ConfigureAwait(false);
            return new IncidentChange(await w.EmitAsync(id, "feedback", incident.State, actor, $"{satisfaction}/5 {comment}".Trim()).ConfigureAwait(false));
        }, ct);
    }

    private async Task ApplyAsync(WriteTx w, Incident incident, IncidentAction action, IncidentState target, string? note, string? assignee)
    {
        var set = action switch
        {
            IncidentAction.Dispatch => "assignee_id = @assignee, dispatched_at = @now",
            IncidentAction.Accept => "accepted_at = COALESCE(accepted_at, @now)",
            IncidentAction.Arrive => "arrived_at = COALESCE(arrived_at, @now)",
            IncidentAction.Resolve => "resolved_at = @now",
            IncidentAction.Close => "closed_at = @now",
            IncidentAction.Reopen => "reopen_count = reopen_count + 1, verify_due_at = NULL",
            IncidentAction.Cancel => "cancelled_at = @now, cancel_reason = @note",
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
        await w.ExecAsync($"UPDATE incidents SET state = @state, updated_at = @now, {set} WHERE id = @id",
            new { state = target.Name(), now = w.NowMs, assignee, note, id = incident.Id }).ConfigureAwait(false);
        // Limits met (or moot) stop counting; a resolution starts the verification limit (核查时限); a reopen restarts
        // the first three from now (rework has its own time limit).
        string[] met = action switch
        {
            IncidentAction.Accept => ["accept"],
            IncidentAction.Arrive => ["accept", "arrive"],
            IncidentAction.Resolve => ["accept", "arrive", "resolve"],
            IncidentAction.Close or IncidentAction.Cancel or IncidentAction.Reopen => ["accept", "arrive", "resolve", "verify"],
            _ => [],
        };
        if (met.Length > 0)
            await w.ExecAsync($"UPDATE sla_timers SET status = 'void', done_at = @now WHERE incident_id = @id AND status = 'pending' AND {_dialect.In("kind", "met")}",
                new { now = w.NowMs, id = incident.Id, met }).ConfigureAwait(false);
        if (action == IncidentAction.Resolve)
            await ScheduleAsync(w, incident.Id, _options.Sla.For(incident.Type, incident.Severity), w.Now, "verify").ConfigureAwait(false);
        if (action == IncidentAction.Reopen)
            await ScheduleAsync(w, incident.Id, _options.Sla.For(incident.Type, incident.Severity), w.Now).ConfigureAwait(false);
        // 改派: whoever it goes to gets the accept and arrive limits from now; the resolve limit keeps running.
        if (action == IncidentAction.Dispatch && incident.AssigneeId is not null && assignee != incident.AssigneeId
            && incident.State is IncidentState.Dispatched or IncidentState.Accepted or IncidentState.OnSite)
            await ScheduleAsync(w, incident.Id, _options.Sla.For(incident.Type, incident.Severity), w.Now, "accept", "arrive").ConfigureAwait(false);
    }
}
