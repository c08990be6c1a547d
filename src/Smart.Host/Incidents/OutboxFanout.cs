using Microsoft.AspNetCore.SignalR;
using Smart.Host.Auth;
using Smart.Core.Incidents;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>
/// Sends every committed incident event, in seq order, to the hub groups that cover it. Clients that miss some
/// (reconnects, another node's events) catch up with <c>Resume(lastSeq)</c>.
/// </summary>
internal sealed class OutboxFanout(IncidentStore store, IHubContext<OpsHub> hub, IncidentPresenter presenter, ILogger<OutboxFanout> logger)
    : IncidentEventFollower(store, logger)
{
    protected override Task HandleAsync(IncidentEvent e, CancellationToken ct) =>
        hub.Clients.Groups(ClaimsActor.HubGroups(e.Incident.Location)).SendAsync("incident", presenter.AsDto(e), ct);
}
