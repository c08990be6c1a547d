using Microsoft.AspNetCore.SignalR;
using Smart.Host.Auth;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>
/// Sends every committed incident event, in seq order, to the hub groups that cover it. Clients that miss some
/// (reconnects, another node's events) catch up with <c>Resume(lastSeq)</c>.
/// </summary>
internal sealed partial class OutboxFanout(IncidentStore store, IHubContext<OpsHub> hub, IncidentPresenter presenter, ILogger<OutboxFanout> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var lastSeq = store.LastSeq;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await store.WaitForEventsAsync(lastSeq, ct);
                foreach (var e in await store.ReadEventsAsync(lastSeq, 500, ct))
                {
                    await hub.Clients.Groups(ClaimsActor.HubGroups(e.Incident.Location)).SendAsync("incident", presenter.AsDto(e), ct);
                    lastSeq = e.Seq;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                LogFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Incident fan-out failed; retrying")]
    private partial void LogFailed(Exception e);
}
