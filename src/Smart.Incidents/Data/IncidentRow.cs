using System.Text.Json;
using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Incidents.Data;

#pragma warning disable IDE1006 // Column names: Dapper maps snake_case columns to these properties as they are.
/// <summary>An <c>incidents</c> row; numbers as long so SQLite and PostgreSQL map alike.</summary>
internal sealed class IncidentRow
{
    public long id { get; set; }
    public string type { get; set; } = "";
    public long severity { get; set; }
    public string level { get; set; } = "";
    public string state { get; set; } = "";
    public string street_id { get; set; } = "";
    public string community_id { get; set; } = "";
    public string grid_id { get; set; } = "";
    public string? building_id { get; set; }
    public double? lon { get; set; }
    public double? lat { get; set; }
    public string? device_id { get; set; }
    public string? device_kind { get; set; }
    public string device_ids { get; set; } = "[]";
    public string title { get; set; } = "";
    public string? evidence { get; set; }
    public string? assignee_id { get; set; }
    public string? reporter_id { get; set; }
    public long created_at { get; set; }
    public long updated_at { get; set; }
    public long? dispatched_at { get; set; }
    public long? accepted_at { get; set; }
    public long? arrived_at { get; set; }
    public long? resolved_at { get; set; }
    public long? closed_at { get; set; }
    public long? cancelled_at { get; set; }
    public long? resolve_due_at { get; set; }
    public long? accept_due_at { get; set; }
    public long? arrive_due_at { get; set; }
    public long? verify_due_at { get; set; }
    public string? cancel_reason { get; set; }
    public long reopen_count { get; set; }
    public long escalation_count { get; set; }
    public long? satisfaction { get; set; }
    public string? feedback_comment { get; set; }
    public long update_count { get; set; }

    public Incident AsIncident() => new()
    {
        Id = id, Type = type, Severity = (Severity)severity,
        Level = IncidentNames.ParseLevel(level), State = IncidentNames.ParseState(state),
        Location = new IncidentLocation(street_id, community_id, grid_id, building_id, lon is { } x && lat is { } y ? new GeoPoint(x, y) : null),
        DeviceId = device_id, DeviceKind = device_kind is null ? null : DeviceKinds.Parse(device_kind),
        DeviceIds = JsonSerializer.Deserialize<string[]>(device_ids) ?? [],
        Title = title,
        Evidence = evidence is null ? null : JsonDocument.Parse(evidence).RootElement.Clone(),
        AssigneeId = assignee_id, ReporterId = reporter_id,
        CreatedAt = Ms.ToTime(created_at), UpdatedAt = Ms.ToTime(updated_at),
        DispatchedAt = Ms.ToTime(dispatched_at), AcceptedAt = Ms.ToTime(accepted_at), ArrivedAt = Ms.ToTime(arrived_at),
        ResolvedAt = Ms.ToTime(resolved_at), ClosedAt = Ms.ToTime(closed_at), CancelledAt = Ms.ToTime(cancelled_at),
        ResolveDueAt = Ms.ToTime(resolve_due_at), AcceptDueAt = Ms.ToTime(accept_due_at), ArriveDueAt = Ms.ToTime(arrive_due_at),
        VerifyDueAt = Ms.ToTime(verify_due_at),
        CancelReason = cancel_reason, ReopenCount = (int)reopen_count, EscalationCount = (int)escalation_count,
        Satisfaction = satisfaction is null ? null : (int)satisfaction, FeedbackComment = feedback_comment,
        UpdateCount = (int)update_count,
    };
}

internal sealed class HistoryRow
{
    public long seq { get; set; }
    public long incident_id { get; set; }
    public string change { get; set; } = "";
    public string? from_state { get; set; }
    public string to_state { get; set; } = "";
    public string level { get; set; } = "";
    public string actor_id { get; set; } = "";
    public string actor_role { get; set; } = "";
    public string? note { get; set; }
    public long at { get; set; }

    public IncidentHistoryEntry AsEntry() => new(seq, incident_id, change,
        from_state is null ? null : IncidentNames.ParseState(from_state), IncidentNames.ParseState(to_state),
        IncidentNames.ParseLevel(level), actor_id, actor_role, note, Ms.ToTime(at));
}

internal sealed class DeviceRow
{
    public string id { get; set; } = "";
    public string kind { get; set; } = "";
    public string building_id { get; set; } = "";
    public string grid_id { get; set; } = "";
    public string community_id { get; set; } = "";
    public string street_id { get; set; } = "";
    public double? lon { get; set; }
    public double? lat { get; set; }
    public long retired { get; set; }
    public long? maintenance_until { get; set; }
    public string? maintenance_note { get; set; }

    public Device AsDevice() => new(id, DeviceKinds.Parse(kind), building_id, grid_id, community_id, street_id,
        lon is { } x && lat is { } y ? new GeoPoint(x, y) : null, retired != 0,
        maintenance_until is { } until ? new DeviceMaintenance(DateTimeOffset.FromUnixTimeMilliseconds(until), maintenance_note) : null);
}

internal sealed class PersonRow
{
    public string id { get; set; } = "";
    public string name { get; set; } = "";
    public string role { get; set; } = "";
    public string? scope_id { get; set; }
    public string username { get; set; } = "";
    public string? password_hash { get; set; }
    public long? deactivated_at { get; set; }
    public string? phone { get; set; }

    public Person AsPerson() => new(id, name, RoleNames.Parse(role), scope_id, username, deactivated_at is null, phone);
}
#pragma warning restore IDE1006

/// <summary>Unix milliseconds, the one time representation in both databases.</summary>
internal static class Ms
{
    public static long Of(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static long? Of(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();
    public static DateTimeOffset ToTime(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    public static DateTimeOffset? ToTime(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
