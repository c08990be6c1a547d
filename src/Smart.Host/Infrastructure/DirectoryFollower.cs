using Microsoft.AspNetCore.SignalR;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Host.Bridge;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.Infrastructure;

/// <summary>
/// Keeps this host's copies of the directory current with changes made here or (PostgreSQL, DESIGN §13) on another host:
/// people's names on the incident views and the live connections a deactivation or a change of role or scope ends; the
/// bridge's devices and the embedded broker's logins. A host that heard nothing for a while (its listener reconnecting)
/// reads everything afresh.
/// </summary>
internal sealed partial class DirectoryFollower(IncidentStore store, IncidentPresenter presenter, HubSessions sessions, DeviceDirectory devices,
    EmbeddedInfrastructureService broker, IHubContext<OpsHub> hub, ILogger<DirectoryFollower> logger) : IHostedService
{
    /// <summary>A burst of district changes (a script adding a street's buildings) tells the screens once.</summary>
    private static readonly TimeSpan DistrictQuiet = TimeSpan.FromMilliseconds(500);

    private int _districtPending;

    public Task StartAsync(CancellationToken ct)
    {
        store.PersonChanged += OnPersonChanged;
        store.DeviceChanged += OnDeviceChanged;
        store.DirectoryResync += OnResync;
        store.DistrictChanged += OnDistrictChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        store.PersonChanged -= OnPersonChanged;
        store.DeviceChanged -= OnDeviceChanged;
        store.DirectoryResync -= OnResync;
        store.DistrictChanged -= OnDistrictChanged;
        return Task.CompletedTask;
    }

    private void OnPersonChanged(Person person)
    {
        presenter.Remember([person]);
        _ = Guard(sessions.EndStaleAsync(person), person.Id);
    }

    private void OnDeviceChanged(Device device)
    {
        // A move (another building, grid, community or street) leaves the broker login as it was (its ACL names only the
        // kind and id): a grid of thousands of devices moving does not rewrite the password file thousands of times.
        var loginChanged = !devices.TryGet(device.Id, out var known) || known.Retired != device.Retired || known.Kind != device.Kind;
        devices.Upsert(device);
        if (loginChanged) broker.ReloadBrokerAccounts();
    }

    private void OnResync() => _ = Guard(ResyncAsync(), "everyone");

    /// <summary>Open screens (ops centre, grid workers' phones) read the district afresh: <c>districtChanged</c> on the hub.</summary>
    private void OnDistrictChanged()
    {
        if (Interlocked.Exchange(ref _districtPending, 1) == 0) _ = Guard(TellScreensAsync(), "district");
    }

    private async Task TellScreensAsync()
    {
        await Task.Delay(DistrictQuiet);
        Interlocked.Exchange(ref _districtPending, 0);
        await hub.Clients.All.SendAsync("districtChanged");
    }

    private async Task ResyncAsync()
    {
        foreach (var device in await store.AllDevicesAsync()) devices.Upsert(device);
        broker.ReloadBrokerAccounts();
        var people = await store.ListPeopleAsync(Scope.All);
        presenter.Remember(people);
        foreach (var person in people) await sessions.EndStaleAsync(person);
        LogResynced(devices.Count, people.Count);
    }

    private async Task Guard(Task work, string what)
    {
        try { await work; }
        catch (Exception e) when (e is not OutOfMemoryException) { LogFailed(e, what); }
    }

    [LoggerMessage(LogLevel.Warning, "Could not apply a directory change ({What})")]
    private partial void LogFailed(Exception e, string what);

    [LoggerMessage(LogLevel.Information, "Directory read afresh after (re)connecting the listener: {Devices} devices, {People} people")]
    private partial void LogResynced(int devices, int people);
}
