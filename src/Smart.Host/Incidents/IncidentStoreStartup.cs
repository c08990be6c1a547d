using Microsoft.Extensions.Options;
using Smart.Core.Demo;
using Smart.Core.Incidents;
using Smart.Host.Bridge;
using Smart.Host.Infrastructure;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>Migrations, the demo district (idempotent), the bridge's device directory and the broker logins, before the bridge starts.</summary>
internal sealed partial class IncidentStoreStartup(IncidentStore store, DeviceDirectory devices, DemoDistrict district, IOptions<DemoOptions> demo,
    EmbeddedInfrastructureService infrastructure, ILogger<IncidentStoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.InitializeAsync(ct);
        if (demo.Value.Enabled) await store.LoadDistrictAsync(district, ct);
        foreach (var device in await store.ListDevicesAsync(Scope.All, limit: int.MaxValue, ct: ct)) devices.Upsert(device);
        // The embedded broker started before the registry was read: now every device gets its login.
        infrastructure.ReloadBrokerAccounts();
        LogReady(store.Options.Provider, devices.Count, store.LastSeq);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Incident store ready ({Provider}): {Devices} devices, last event seq {Seq}")]
    private partial void LogReady(DatabaseProvider provider, int devices, long seq);
}
