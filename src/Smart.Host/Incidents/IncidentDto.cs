using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Host.Incidents;

/// <summary>An incident as the API and the hub show it (the contract of the dashboards).</summary>
public sealed record IncidentDto(
    long Id, string Type, string Severity, string State, string Level, string Title, string? Summary,
    string StreetId, string CommunityId, string GridId, string? BuildingId, IReadOnlyList<string> DeviceIds,
    string? AssigneeId, string? AssigneeName, string? AssigneePhone, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? AcceptDueAt, DateTimeOffset? ArriveDueAt, DateTimeOffset? ResolveDueAt, DateTimeOffset? VerifyDueAt,
    int? Satisfaction, int ReopenCount, int EscalationCount, string? CancelReason);

/// <summary>One step of an incident's history, with the actor's name (null for the system).</summary>
public sealed record IncidentHistoryDto(long Seq, long IncidentId, string Change, IncidentState? FromState, IncidentState ToState,
    IncidentLevel Level, string ActorId, string? ActorName, string ActorRole, string? Note, DateTimeOffset At);

/// <summary>An outbox event on the hub: <c>{seq, change, incident}</c>.</summary>
public sealed record IncidentEventDto(long Seq, string Change, IncidentDto Incident);

/// <summary>
/// Maps incidents to their DTOs, with people's names: read from the store at start-up and kept current through
/// <see cref="Smart.Incidents.IncidentStore.PersonChanged"/> (<see cref="Infrastructure.DirectoryFollower"/>; also for changes made on other hosts).
/// </summary>
public sealed class IncidentPresenter
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Person> _people = new(StringComparer.Ordinal);

    /// <summary>Takes these people's current names and phones (start-up, and every add or change).</summary>
    public void Remember(IEnumerable<Person> people)
    {
        foreach (var p in people) _people[p.Id] = p;
    }

    public IncidentDto AsDto(Incident i)
    {
        var assignee = i.AssigneeId is null ? null : _people.GetValueOrDefault(i.AssigneeId);
        var summary = i.Evidence is { } e && e.ValueKind == System.Text.Json.JsonValueKind.Object && e.TryGetProperty("reason", out var r) ? r.GetString() : null;
        return new IncidentDto(i.Id, i.Type, i.Severity.Name(), i.State.Name(), i.Level.Name(), i.Title, summary,
            i.Location.StreetId, i.Location.CommunityId, i.Location.GridId, i.Location.BuildingId, i.DeviceIds,
            i.AssigneeId, assignee?.Name ?? i.AssigneeId, assignee?.Phone,
            i.CreatedAt, i.UpdatedAt,
            i.AcceptDueAt, i.ArriveDueAt, i.ResolveDueAt, i.VerifyDueAt,
            i.Satisfaction, i.ReopenCount, i.EscalationCount, i.CancelReason);
    }

    public IncidentEventDto AsDto(IncidentEvent e) => new(e.Seq, e.Change, AsDto(e.Incident));

    public IncidentHistoryDto AsDto(IncidentHistoryEntry h) =>
        new(h.Seq, h.IncidentId, h.Change, h.FromState, h.ToState, h.Level, h.ActorId, _people.GetValueOrDefault(h.ActorId)?.Name, h.ActorRole, h.Note, h.At);
}
