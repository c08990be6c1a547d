extern alias sim;
using System.Text.Json;
using sim::FirmwareSim;
using sim::FirmwareSim.Hub;
using sim::FirmwareSim.Registry;
using Smart.Core;
using Smart.Host.Tests.Api;
using Smart.Testing;

namespace Smart.Host.Tests.EndToEnd;

/// <summary>
/// After 网格调整 the live path follows the new district: the detector correlates a moved device with its new building,
/// its readings are tagged with its new grid, and its incidents are raised there.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class MovedDevicesTests(HostFixture host)
{
    [Fact]
    public async Task A_detector_moved_into_a_building_confirms_a_fire_with_the_detector_already_there_in_the_building_s_new_grid()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var admin = await ApiClient.LoginAsync(host, "admin");
        async Task Ok(Task<(System.Net.HttpStatusCode Status, JsonElement Body)> call) =>
            Assert.True((await call).Status is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.Created);
        await PlaceMovesApiTests.AddStreetAsync(admin, "e2e", 2);
        await Ok(admin.PostAsync("/api/hierarchy/grids", new { id = "g-e2e-a", parentId = "c-e2e-1", name = "联动甲网格" }));
        await Ok(admin.PostAsync("/api/hierarchy/grids", new { id = "g-e2e-b", parentId = "c-e2e-2", name = "联动乙网格" }));
        await Ok(admin.PostAsync("/api/hierarchy/buildings", new { id = "b-e2e-1", parentId = "g-e2e-a", name = "1号楼", floors = 6, lon = 120.16, lat = 30.25 }));
        await Ok(admin.PostAsync("/api/hierarchy/buildings", new { id = "b-e2e-2", parentId = "g-e2e-a", name = "2号楼", floors = 6, lon = 120.161, lat = 30.25 }));
        var devices = new List<SimDevice>();
        foreach (var (id, building) in new[] { ("fire-e2e-1", "b-e2e-1"), ("fire-e2e-2", "b-e2e-1"), ("fire-e2e-3", "b-e2e-2") })
        {
            var (_, registered) = await admin.PostAsync("/api/devices", new { id, kind = "fire", buildingId = building });
            devices.Add(new SimDevice(new Device(id, DeviceKind.Fire, building, "g-e2e-a", "c-e2e-1", "st-e2e"), registered.GetProperty("mqtt").GetProperty("password").GetString()!, 6));
        }
        // fire-e2e-1 joins fire-e2e-3 in building 2, and building 2 moves to grid g-e2e-b (community c-e2e-2). Before the moves,
        // two burning detectors sat in two buildings: no building had the two alarms a confirmation needs.
        await Ok(admin.SendAsync(HttpMethod.Put, "/api/devices/fire-e2e-1", new { buildingId = "b-e2e-2" }));
        await Ok(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/buildings/b-e2e-2", new { parentId = "g-e2e-b" }));

        await using var hub = await HubClient.ConnectAsync(new Uri(host.BaseAddress, "/hubs/ops"), await host.TokenAsync("operator"), timeout.Token);
        await using var simulator = new Simulator(new SimulatorOptions
        {
            BrokerUrl = host.Broker.Url, Devices = devices, Speed = 10, IntervalScale = 0.1, Seed = 7, Start = DateTimeOffset.UtcNow.AddMinutes(-10),
        });
        await simulator.StartAsync(timeout.Token);
        string[] burning = ["fire-e2e-1", "fire-e2e-3"];
        simulator.Inject("fire-building", TimeSpan.FromSeconds(20), burning);

        var confirmed = (await hub.WaitForAsync("incident", call => IsConfirmedFor(call, burning), timeout.Token)).Arguments[0].GetProperty("incident");
        Assert.Equal(("b-e2e-2", "g-e2e-b", "c-e2e-2"), (confirmed.GetProperty("buildingId").GetString(), confirmed.GetProperty("gridId").GetString(),
            confirmed.GetProperty("communityId").GetString()));
        await simulator.StopAsync();
        // The bridge tags the moved detector's readings with its new grid and community.
        await Eventually.UntilAsync(async () => await CountAsync("fire-e2e-1", "g-e2e-b", "c-e2e-2") > 0, TimeSpan.FromSeconds(20), "fire-e2e-1's readings tagged grid g-e2e-b");
        Assert.Equal(0, await CountAsync("fire-e2e-1", "g-e2e-a", "c-e2e-1"));
    }

    private static bool IsConfirmedFor(HubInvocation call, string[] devices)
    {
        var incident = call.Arguments[0].GetProperty("incident");
        return incident.GetProperty("type").GetString() == "fire.confirmed"
            && incident.GetProperty("deviceIds").EnumerateArray().Any(d => devices.Contains(d.GetString()));
    }

    private async Task<long> CountAsync(string device, string grid, string community)
    {
        var json = await host.Influx.QueryAsync($"SELECT count(\"temp_c\") FROM \"fire\" WHERE \"device\" = '{device}' AND \"grid\" = '{grid}' AND \"community\" = '{community}'", "smart");
        using var doc = JsonDocument.Parse(json);
        var result = doc.RootElement.GetProperty("results")[0];
        return result.TryGetProperty("series", out var s) ? s[0].GetProperty("values")[0][1].GetInt64() : 0;
    }
}
