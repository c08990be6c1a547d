using System.Text.Json;

namespace Smart.Core.Incidents;

/// <summary>Where an incident is: always a grid (and so a community and street), optionally a building and a point.</summary>
public sealed record IncidentLocation(string StreetId, string CommunityId, string GridId, string? BuildingId = null, GeoPoint? Point = null);

/// <summary>
/// A grid incident (DESIGN §8). Immutable snapshot: the store returns a new one after every change.
/// Times are UTC; <see cref="Evidence"/> is the raiser's JSON (readings, scores, clip id), merged on updates.
/// </summary>
public sealed record Incident
{
    public required long Id { get; init; }
    public required string Type { get; init; }
    public required Severity Severity { get; init; }
    public required IncidentLevel Level { get; init; }
    public required IncidentState State { get; init; }
    public required IncidentLocation Location { get; init; }
    /// <summary>The device that raised it (dedup key with <see cref="Type"/>); null for manual reports.</summary>
    public string? DeviceId { get; init; }
    public DeviceKind? DeviceKind { get; init; }
    /// <summary>Every device involved (e.g. the detectors that confirmed a fire).</summary>
    public IReadOnlyList<string> DeviceIds { get; init; } = [];
    public required string Title { get; init; }
    public JsonElement? Evidence { get; init; }
    public string? AssigneeId { get; init; }
    public string? ReporterId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? DispatchedAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public DateTimeOffset? ArrivedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    /// <summary>SLA accept deadline (from creation, or from the last reopen).</summary>
    public DateTimeOffset? AcceptDueAt { get; init; }
    /// <summary>SLA arrival deadline (from creation, or from the last reopen).</summary>
    public DateTimeOffset? ArriveDueAt { get; init; }
    /// <summary>SLA resolve deadline (from creation, or from the last reopen).</summary>
    public DateTimeOffset? ResolveDueAt { get; init; }
    /// <summary>核查 deadline: staff verify (close) or send back a resolved incident by then (from its resolution; null
    /// when not resolved or its type has no verification limit).</summary>
    public DateTimeOffset? VerifyDueAt { get; init; }
    public string? CancelReason { get; init; }
    /// <summary>返工 count.</summary>
    public int ReopenCount { get; init; }
    public int EscalationCount { get; init; }
    /// <summary>反馈评价 1–5.</summary>
    public int? Satisfaction { get; init; }
    public string? FeedbackComment { get; init; }
    /// <summary>New evidence merged into an open incident (dedup hits).</summary>
    public int UpdateCount { get; init; }
}

/// <summary>One recorded change: who did what, when, why, from which state to which.</summary>
public sealed record IncidentHistoryEntry(long Seq, long IncidentId, string Change, IncidentState? FromState, IncidentState ToState,
    IncidentLevel Level, string ActorId, string ActorRole, string? Note, DateTimeOffset At);

/// <summary>
/// An outbox event: <see cref="Seq"/> is gap-free and strictly increasing in commit order, so a client that has seen
/// seq N resumes with everything after N. <see cref="Change"/>: created, updated, dispatched, accepted, on_site,
/// resolved, closed, reopened, cancelled, escalated, feedback.
/// </summary>
public sealed record IncidentEvent(long Seq, string Change, Incident Incident);

/// <summary>The result of a write: the event it emitted (and so the incident after it).</summary>
public sealed record IncidentChange(IncidentEvent Event)
{
    public Incident Incident => Event.Incident;
    public string Change => Event.Change;
    public long Seq => Event.Seq;
}

/// <summary>
/// An anomaly from detection. <paramref name="Severity"/> is the detector's proposal (null: the type's default);
/// <paramref name="Evidence"/> is any JSON object (readings, scores, clip id).
/// </summary>
public sealed record AlertInput(string DeviceId, string Type, Severity? Severity, string? Metric, double? Value, string? Reason,
    DateTimeOffset Timestamp, JsonElement? Evidence = null, IReadOnlyList<string>? RelatedDeviceIds = null);

/// <summary>
/// 随手拍: a report by a person. Location by <paramref name="BuildingId"/>, <paramref name="GridId"/> or a
/// <paramref name="Point"/> resolved to a grid polygon (first one given wins).
/// </summary>
public sealed record ManualReport(string Text, string? GridId = null, string? BuildingId = null, GeoPoint? Point = null,
    string? PhotoRef = null, Severity? Severity = null);

/// <summary>Filters for listing incidents; all optional, always further restricted by the caller's scope.</summary>
public sealed record IncidentQuery
{
    public IReadOnlyList<IncidentState>? States { get; init; }
    public bool? Open { get; init; }
    public Severity? Severity { get; init; }
    public string? Type { get; init; }
    public IncidentLevel? Level { get; init; }
    public string? StreetId { get; init; }
    public string? CommunityId { get; init; }
    public string? GridId { get; init; }
    public string? DeviceId { get; init; }
    public string? AssigneeId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
}
