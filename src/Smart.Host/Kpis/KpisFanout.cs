using Microsoft.AspNetCore.SignalR;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.Kpis;

/// <summary>Every 10 s: today's district KPIs (as <c>GET /api/kpis</c> answers) to the operations centre (hub <c>kpis</c>).</summary>
internal sealed partial class KpisFanout(IncidentStore store, IHubContext<OpsHub> hub, TimeProvider clock, ILogger<KpisFanout> logger) : BackgroundService
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10), clock);
        while (await timer.WaitForNextTickAsync(ct))
        {
            var now = clock.GetUtcNow();
            var local = TimeZoneInfo.ConvertTime(now, China);
            var midnight = new DateTimeOffset(local.Date, local.Offset);
            try
            {
                var kpis = await store.GetKpisAsync(Scope.All, midnight, now, ct);
                await hub.Clients.Group(Scope.All.HubGroup()).SendAsync("kpis", kpis.AsDto(), ct);
            }
            catch (System.Data.Common.DbException e)
            {
                LogFailed(e);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not compute the KPIs for the screens")]
    private partial void LogFailed(Exception e);
}
