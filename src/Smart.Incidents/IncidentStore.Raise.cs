using System.Text.Json;
using System.Text.Json.Nodes;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

public sealed partial class IncidentStore
{
    /// <summary>
    /// An anomaly from detection. If an open incident already covers it (the device's of this type; for fire alarms see
    /// <see cref="RenewedByAsync"/>), the new evidence updates it (event <c>updated</c>; severity only ever rises; the
    /// alert's device joins its devices; a resolved one is reopened and sent back, <see cref="ReopenOnRecurrenceAsync"/>).
    /// Otherwise a new incident is created in the device's grid
    /// (<c>created</c>) and dispatched to the least-loaded on-duty grid worker (<c>dispatched</c>); with nobody on
    /// duty it goes straight to community level. Returns the last event emitted.
    /// </summary>
    public Task<IncidentChange> RaiseAsync(AlertInput alert, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!IncidentTypes.IsKnown(alert.Type))
            throw new IncidentException(IncidentError.Invalid, $"Unknown incident type '{alert.Type}'. Known: {string.Join(", ", IncidentTypes.All)}.");
        return WriteAsync(async w =>
        {
            var device = await w.OneAsync<DeviceRow>("SELECT * FROM devices WHERE id = @id", new { id = alert.DeviceId }).ConfigureAwait(false)
                ?? throw new IncidentException(IncidentError.Invalid, $"Unknown device '{alert.DeviceId}': register it (or load the district) before raising incidents for it.");
            if (device.retired != 0)
                throw new IncidentException(IncidentError.Invalid, $"Device '{alert.DeviceId}' is retired; re-register it to raise incidents for it.");
            var open = (await RenewedByAsync(w, alert, device, _options.OutageJoinWindow).ConfigureAwait(false))?.AsIncident();
            if (open is null) return await CreateFromAlertAsync(w, alert, device).ConfigureAwait(false);
            var note = await UpdateFromAlertAsync(w, alert, open, _options.Sla).ConfigureAwait(false);
            return open.State == IncidentState.Resolved ? await ReopenOnRecurrenceAsync(w, open.Id, note).ConfigureAwait(false)
                : new IncidentChange(await w.EmitAsync(open.Id, "updated", open.State, Actor.System, note).ConfigureAwait(false));
        }, ct);
    }

    /// <summary>
    /// 复发: a new finding on an incident its worker has resolved but staff have not yet verified means the fix did not
    /// hold (a fire re-igniting, a cover lifted again). It is reopened as rework (counted in the KPIs' rework rate, all three
    /// limits from now) and dispatched back to the worker who resolved it if they are on duty, else to the least-loaded
    /// worker on duty; with nobody on duty it waits, reopened, at its level and its accept limit escalates it. Before, it
    /// only took the new evidence and stayed "resolved": nobody went back to a burning building.
    /// </summary>
    private async Task<IncidentChange> ReopenOnRecurrenceAsync(WriteTx w, long id, string? note)
    {
        var incident = await w.LoadAsync(id).ConfigureAwait(false) ?? throw NotFound(id);
        await ApplyAsync(w, incident, IncidentAction.Reopen, IncidentState.Reopened, note, null).ConfigureAwait(false);
        var reopened = await w.EmitAsync(id, IncidentWorkflow.ChangeName(IncidentState.Reopened), IncidentState.Resolved, Actor.System,
            note is null ? "复发 Recurred" : $"复发 Recurred: {note}").ConfigureAwait(false);
        var assignee = await PickOnDutyAsync(w, incident.Location.GridId, prefer: incident.AssigneeId).ConfigureAwait(false);
        if (assignee is null) return new IncidentChange(reopened);
        await ApplyAsync(w, reopened.Incident, IncidentAction.Dispatch, IncidentState.Dispatched, null, assignee).ConfigureAwait(false);
        return new IncidentChange(await w.EmitAsync(id, IncidentWorkflow.ChangeName(IncidentState.Dispatched), IncidentState.Reopened, Actor.System,
            $"auto → {assignee}").ConfigureAwait(false));
    }

    /// <summary>
    /// The open incident an alert renews, if any. A fire alarm joins the building's confirmed fire once there is one
    /// (whichever detectors confirmed it, on whichever host); a confirmation with none yet takes the building's first fire
    /// incident still being handled (same worker, now the P1 confirmed fire), not a second one. Otherwise the device's
    /// open incident of the same type, or else of its family or its statistical anomaly (<see cref="IncidentTypes.JoinedOnDevice"/>:
    /// one visit handles a fire detector's smoke, heat and CO, a lifted manhole cover's open, displaced and tilted lid, a
    /// charger's overheat and runaway, and the anomaly a detector saw before a rule tripped). Without this one burning
    /// building made a dozen incidents, one per detector and finding. A statistical anomaly joins only an incident still
    /// being handled: it is no reason to reopen one its worker resolved (a rule finding is: 复发). A device going offline
    /// without an offline incident of its own joins its grid's offline incident still being handled and changed (a device
    /// joined, someone acted on it) within <paramref name="outageWindow"/>: a power or network cut across buildings is one
    /// incident for the grid's worker.
    /// </summary>
    private static async Task<IncidentRow?> RenewedByAsync(WriteTx w, AlertInput alert, DeviceRow device, TimeSpan outageWindow)
    {
        const string open = "state NOT IN ('closed', 'cancelled')";
        const string handling = "state IN ('new', 'dispatched', 'accepted', 'on_site', 'reopened')";
        if (IncidentTypes.IsFire(alert.Type))
        {
            var confirmed = await w.OneAsync<IncidentRow>($"SELECT * FROM incidents WHERE building_id = @b AND type = @t AND {open} ORDER BY id LIMIT 1",
                new { b = device.building_id, t = IncidentTypes.FireConfirmed }).ConfigureAwait(false);
            if (confirmed is not null) return confirmed;
            if (alert.Type == IncidentTypes.FireConfirmed)
            {
                // Not one already resolved: a resolved incident is for staff to verify or reopen.
                var fires = InTypes(IncidentTypes.FamilyOf(IncidentTypes.FireConfirmed), new { b = device.building_id }, out var query);
                return await w.OneAsync<IncidentRow>($"SELECT * FROM incidents WHERE building_id = @b AND {fires} AND {handling} ORDER BY id LIMIT 1",
                    query).ConfigureAwait(false);
            }
        }
        var same = await w.OneAsync<IncidentRow>($"SELECT * FROM incidents WHERE device_id = @d AND type = @t AND {open}",
            new { d = alert.DeviceId, t = alert.Type }).ConfigureAwait(false);
        if (same is null && alert.Type == IncidentTypes.DeviceOffline)
            return await w.OneAsync<IncidentRow>(
                $"SELECT * FROM incidents WHERE grid_id = @g AND type = @t AND {handling} AND updated_at >= @since ORDER BY id LIMIT 1",
                new { g = device.grid_id, t = IncidentTypes.DeviceOffline, since = w.NowMs - (long)outageWindow.TotalMilliseconds }).ConfigureAwait(false);
        var joins = IncidentTypes.JoinedOnDevice(alert.Type);
        if (same is not null || joins.Count == 0) return same;
        var kin = InTypes(joins, new { d = alert.DeviceId }, out var parameters);
        var states = alert.Type == IncidentTypes.SensorAnomaly ? handling : open;
        return await w.OneAsync<IncidentRow>($"SELECT * FROM incidents WHERE device_id = @d AND {kin} AND {states} ORDER BY id LIMIT 1", parameters)
            .ConfigureAwait(false);
    }

    /// <summary><c>type IN (@f0, …)</c> for <paramref name="family"/>, its values added to <paramref name="query"/>.</summary>
    private static string InTypes(IReadOnlyList<string> family, object values, out Dapper.DynamicParameters query)
    {
        query = new Dapper.DynamicParameters(values);
        for (var i = 0; i < family.Count; i++) query.Add($"f{i}", family[i]);
        return $"type IN ({string.Join(", ", family.Select((_, i) => $"@f{i}"))})";
    }

    /// <summary>随手拍: a person's report (text, location, photo). Routed like an alert; never deduplicated.</summary>
    public Task<IncidentChange> ReportManualAsync(ManualReport report, Actor reporter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(reporter);
        if (string.IsNullOrWhiteSpace(report.Text))
            throw new IncidentException(IncidentError.Invalid, "A report needs a text describing what was seen.");
        return WriteAsync(async w =>
        {
            var location = await LocateAsync(w, report).ConfigureAwait(false);
            if (!reporter.Scope.Covers(location))
                throw new IncidentException(IncidentError.Forbidden, $"You may only report within your own area ({reporter.Scope}); grid {location.GridId} is outside it.");
            var evidence = new JsonObject { ["text"] = report.Text, ["photo_ref"] = report.PhotoRef };
            var draft = new Draft(IncidentTypes.ManualReport, report.Severity ?? IncidentTypes.DefaultSeverity(IncidentTypes.ManualReport),
                location, null, null, [], $"{IncidentTitles.For(IncidentTypes.ManualReport)}: {Truncate(report.Text, 60)}", evidence, reporter.IsSystem ? null : reporter.Id);
            return await CreateAsync(w, draft, reporter, note: report.Text).ConfigureAwait(false);
        }, ct);
    }

    private sealed record Draft(string Type, Severity Severity, IncidentLocation Location, string? DeviceId, DeviceKind? Kind,
        IReadOnlyList<string> DeviceIds, string Title, JsonObject Evidence, string? ReporterId);

    private async Task<IncidentChange> CreateFromAlertAsync(WriteTx w, AlertInput alert, DeviceRow device)
    {
        var d = device.AsDevice();
        var location = new IncidentLocation(d.StreetId, d.CommunityId, d.GridId, d.BuildingId, d.Location);
        var ids = new[] { d.Id }.Concat(alert.RelatedDeviceIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        var draft = new Draft(alert.Type, alert.Severity ?? IncidentTypes.DefaultSeverity(alert.Type), location, d.Id, d.Kind, ids,
            $"{IncidentTitles.For(alert.Type)} · {d.Id}", EvidenceOf(alert, firstTs: null), null);
        return await CreateAsync(w, draft, Actor.System, alert.Reason).ConfigureAwait(false);
    }

    private async Task<IncidentChange> CreateAsync(WriteTx w, Draft draft, Actor actor, string? note)
    {
        var assignee = await PickOnDutyAsync(w, draft.Location.GridId).ConfigureAwait(false);
        var level = assignee is null ? IncidentLevel.Community : IncidentLevel.Grid;
        var id = await w.ScalarAsync<long>("""
            INSERT INTO incidents (type, severity, level, state, street_id, community_id, grid_id, building_id, lon, lat,
                device_id, device_kind, device_ids, title, evidence, reporter_id, created_at, updated_at)
            VALUES (@Type, @severity, @level, 'new', @street, @community, @grid, @building, @lon, @lat,
                @DeviceId, @kind, @ids, @Title, @evidence, @ReporterId, @now, @now)
            RETURNING id
            """, new
        {
            draft.Type, severity = (long)draft.Severity, level = level.Name(), street = draft.Location.StreetId,
            community = draft.Location.CommunityId, grid = draft.Location.GridId, building = draft.Location.BuildingId,
            lon = draft.Location.Point?.Lon, lat = draft.Location.Point?.Lat, draft.DeviceId, kind = draft.Kind?.Name(),
            ids = JsonSerializer.Serialize(draft.DeviceIds), draft.Title, evidence = draft.Evidence.ToJsonString(), draft.ReporterId, now = w.NowMs,
        }).ConfigureAwait(false);
        await ScheduleAsync(w, id, _options.Sla.For(draft.Type, draft.Severity), w.Now).ConfigureAwait(false);
        var created = await w.EmitAsync(id, "created", null, actor,
            assignee is null ? $"{note} (网格无人值班 nobody on duty in grid {draft.Location.GridId}: community level)".Trim() : note).ConfigureAwait(false);
        if (assignee is null) return new IncidentChange(created);
        await w.ExecAsync("UPDATE incidents SET state = 'dispatched', assignee_id = @assignee, dispatched_at = @now, updated_at = @now WHERE id = @id",
            new { assignee, now = w.NowMs, id }).ConfigureAwait(false);
        return new IncidentChange(await w.EmitAsync(id, "dispatched", IncidentState.New, Actor.System, $"auto → {assignee}").ConfigureAwait(false));
    }

    /// <summary>Writes an alert's evidence (and severity, type, devices) into the incident it renews; returns the note for its event.</summary>
    private static async Task<string?> UpdateFromAlertAsync(WriteTx w, AlertInput alert, Incident open, SlaPolicy sla)
    {
        var firstTs = open.Evidence is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty("first_ts", out var f) ? f.GetString() : null;
        var proposed = alert.Severity ?? IncidentTypes.DefaultSeverity(alert.Type); // a finding of another type brings its own
        var severity = proposed < open.Severity ? proposed : open.Severity; // P1 < P4: only ever rises
        // A more severe finding of the family names the incident (a tilted cover found open is "lid open"), and so does a
        // fire's confirmation (with its limits, which only ever come forward). Safe for the one
        // open incident per device and type: RenewedByAsync chose this one because the device had none of the new type (a
        // confirmation takes a building's fire incident only when the building has no confirmed fire open).
        var (type, title) = alert.Type != open.Type && (alert.Type == IncidentTypes.FireConfirmed || severity < open.Severity && alert.DeviceId == open.DeviceId)
            ? (alert.Type, $"{IncidentTitles.For(alert.Type)} · {open.DeviceId}") : (open.Type, open.Title);
        if (severity < open.Severity || type != open.Type) await TightenLimitsAsync(w, open.Id, sla.For(type, severity)).ConfigureAwait(false);
        // A statistical anomaly joining a rule's incident is in its history; the rule's evidence stays its summary.
        var keepEvidence = alert.Type == IncidentTypes.SensorAnomaly && open.Type != IncidentTypes.SensorAnomaly;
        var ids = open.DeviceIds.Append(alert.DeviceId).Concat(alert.RelatedDeviceIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        // Another detector's alarm joining a confirmed fire says whose it is (the incident names its first device).
        if (alert.DeviceId != open.DeviceId) alert = alert with { Reason = $"{alert.DeviceId}：{alert.Reason}" };
        await w.ExecAsync("""
            UPDATE incidents SET type = @type, title = @title, evidence = COALESCE(@evidence, evidence), severity = @severity, device_ids = @ids,
                update_count = update_count + 1, updated_at = @now
            WHERE id = @id
            """, new { type, title, evidence = keepEvidence ? null : EvidenceOf(alert, firstTs).ToJsonString(), severity = (long)severity, ids = JsonSerializer.Serialize(ids), now = w.NowMs, id = open.Id })
            .ConfigureAwait(false);
        return alert.Reason;
    }

    /// <summary>
    /// An early warning upgraded by its confirming alarm (a flood warning reaching the alarm level, a runaway precursor
    /// confirmed): the limits still pending are brought forward to the new severity's, counted from now, never pushed back.
    /// </summary>
    private static Task TightenLimitsAsync(WriteTx w, long incidentId, SlaLimits limits)
    {
        var accept = Ms.Of(w.Now + limits.Accept);
        var arrive = Ms.Of(w.Now + limits.Arrive);
        var resolve = Ms.Of(w.Now + limits.Resolve);
        return w.ExecAsync("""
            UPDATE incidents SET accept_due_at = @accept WHERE id = @id AND EXISTS (SELECT 1 FROM sla_timers WHERE incident_id = @id AND kind = 'accept' AND status = 'pending' AND due_at > @accept);
            UPDATE incidents SET arrive_due_at = @arrive WHERE id = @id AND EXISTS (SELECT 1 FROM sla_timers WHERE incident_id = @id AND kind = 'arrive' AND status = 'pending' AND due_at > @arrive);
            UPDATE incidents SET resolve_due_at = @resolve WHERE id = @id AND EXISTS (SELECT 1 FROM sla_timers WHERE incident_id = @id AND kind = 'resolve' AND status = 'pending' AND due_at > @resolve);
            UPDATE sla_timers SET due_at = CASE kind WHEN 'accept' THEN @accept WHEN 'arrive' THEN @arrive ELSE @resolve END
            WHERE incident_id = @id AND status = 'pending' AND kind <> 'verify'
              AND due_at > CASE kind WHEN 'accept' THEN @accept WHEN 'arrive' THEN @arrive ELSE @resolve END;
            """, new { id = incidentId, accept, arrive, resolve });
    }

    /// <summary>The latest alert's evidence (metric, value, reason, ts, plus the detector's own fields) and when it started.</summary>
    private static JsonObject EvidenceOf(AlertInput alert, string? firstTs)
    {
        var ts = alert.Timestamp.ToString("O");
        var evidence = alert.Evidence is { ValueKind: JsonValueKind.Object } extra ? JsonNode.Parse(extra.GetRawText())!.AsObject() : new JsonObject();
        if (alert.Evidence is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Undefined } other) evidence["data"] = JsonNode.Parse(other.GetRawText());
        evidence["metric"] = alert.Metric;
        evidence["value"] = alert.Value is { } v && double.IsFinite(v) ? v : null;
        evidence["reason"] = alert.Reason;
        evidence["ts"] = ts;
        evidence["first_ts"] = firstTs ?? ts;
        return evidence;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
