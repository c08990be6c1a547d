extern alias sim;
using System.Text.Json;
using sim::FirmwareSim.Hub;
using Smart.Core;
using Smart.Host.Bridge;

namespace Smart.Host.Tests.Telemetry;

/// <summary>The ops hub's once-a-second <c>telemetry</c> message: the screen's device rows and header come from it.</summary>
[Collection(HostCollection.Name)]
public sealed class TelemetryMessageTests(HostFixture host)
{
    [Fact]
    public async Task Devices_online_and_under_maintenance_per_kind_follow_a_device_going_offline_and_into_maintenance()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var hub = await HubClient.ConnectAsync(new Uri(host.BaseAddress, "/hubs/ops"), await host.TokenAsync("operator"), timeout.Token);
        var board = host.Service<DeviceStatusBoard>();
        var directory = host.Service<DeviceDirectory>();
        var cover = directory.All.Where(d => d.Kind == DeviceKind.Manhole && !d.Retired).Max(d => d.Id)!;
        var before = board.Get(cover).Online;

        try
        {
            foreach (var online in new[] { !before, before })
            {
                board.SetOnline(cover, online, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                // The first message counted after the change: what the board says now, kind by kind.
                var call = await hub.WaitForAsync("telemetry", c => Matches(c.Arguments[0], board.CountByKind(directory.All, DateTimeOffset.UtcNow)), timeout.Token);
                var message = call.Arguments[0];
                var byKind = message.GetProperty("devicesByKind");
                Assert.Equal(Enum.GetValues<DeviceKind>().Select(k => k.Name()).Order(), byKind.EnumerateObject().Select(p => p.Name).Order());
                Assert.Equal(directory.All.Count(d => d.Kind == DeviceKind.Manhole && !d.Retired), byKind.GetProperty("manhole").GetProperty("total").GetInt32());
            }
            // Under maintenance (维护中): counted for its kind as soon as the directory follows the store.
            var store = host.Service<Smart.Incidents.IncidentStore>();
            await store.SetMaintenanceAsync(cover, DateTimeOffset.UtcNow.AddHours(1), "test", Smart.Core.Incidents.Scope.All);
            var maintained = await hub.WaitForAsync("telemetry", c => Matches(c.Arguments[0], board.CountByKind(directory.All, DateTimeOffset.UtcNow))
                && c.Arguments[0].GetProperty("devicesByKind").GetProperty("manhole").GetProperty("maintenance").GetInt32() >= 1, timeout.Token);
            Assert.Equal(directory.All.Count(d => d.Kind == DeviceKind.Manhole && d.Maintenance?.ActiveAt(DateTimeOffset.UtcNow) == true),
                maintained.Arguments[0].GetProperty("devicesByKind").GetProperty("manhole").GetProperty("maintenance").GetInt32());
        }
        finally
        {
            board.SetOnline(cover, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await host.Service<Smart.Incidents.IncidentStore>().SetMaintenanceAsync(cover, DateTimeOffset.UtcNow, null, Smart.Core.Incidents.Scope.All);
        }
    }

    private static bool Matches(JsonElement message, Dictionary<string, DeviceStatusBoard.KindCount> expected) =>
        message.TryGetProperty("devicesByKind", out var byKind)
        && expected.All(e => byKind.TryGetProperty(e.Key, out var c)
            && c.GetProperty("online").GetInt32() == e.Value.Online && c.GetProperty("total").GetInt32() == e.Value.Total
            && c.GetProperty("maintenance").GetInt32() == e.Value.Maintenance);
}
