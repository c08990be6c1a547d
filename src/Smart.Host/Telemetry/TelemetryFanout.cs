using Microsoft.AspNetCore.SignalR;
using Smart.Host.Bridge;
using Smart.Host.Incidents;

namespace Smart.Host.Telemetry;

/// <summary>Once a second: message rates, devices online and under maintenance per kind, and a few live samples to the
/// operations centre (hub <c>telemetry</c>); the screen adds the kinds up for its total.</summary>
internal sealed class TelemetryFanout(LiveTelemetry live, DeviceStatusBoard status, DeviceDirectory devices, IHubContext<OpsHub> hub, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        while (await timer.WaitForNextTickAsync(ct))
        {
            var (rate, byKind, samples) = live.TakeSnapshot();
            var devicesByKind = status.CountByKind(devices.All, clock.GetUtcNow());
            await hub.Clients.Group("ops").SendAsync("telemetry", new
            {
                ts = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                msgsPerSec = Math.Round(rate, 1),
                byKind,
                devicesByKind,
                samples,
            }, ct);
        }
    }
}
