extern alias sim;
using System.Net;
using System.Text.Json;
using Smart.Core;
using Smart.Host.Bridge;
using sim::FirmwareSim.Hub;

namespace Smart.Host.Tests.Api;

/// <summary>网格调整 over the API: places are edited and moved with their devices, devices move between buildings, and the bridge follows.</summary>
[Collection(HostCollection.Name)]
public sealed class PlaceMovesApiTests(HostFixture host)
{
    private Device InBridge(string id) => host.Service<DeviceDirectory>().TryGet(id, out var device) ? device : throw new InvalidOperationException($"{id} is not in the bridge's directory");

    private static async Task<JsonElement> OkAsync(Task<(HttpStatusCode Status, JsonElement Body)> call)
    {
        var (status, body) = await call;
        Assert.True(status == HttpStatusCode.OK || status == HttpStatusCode.Created, $"{status}: {body}");
        return body;
    }

    private static async Task RefusedAsync(Task<(HttpStatusCode Status, JsonElement Body)> call, HttpStatusCode expected, string because)
    {
        var (status, problem) = await call;
        Assert.Equal(expected, status);
        Assert.Contains(because, problem.GetProperty("detail").GetString());
    }

    /// <summary>A street of its own with communities c-{prefix}-1…: the demo district's counts stay as other tests expect them.</summary>
    internal static async Task AddStreetAsync(ApiClient admin, string prefix, int communities)
    {
        await OkAsync(admin.PostAsync("/api/hierarchy/streets", new { id = $"st-{prefix}", name = "调整街道" }));
        for (var c = 1; c <= communities; c++)
            await OkAsync(admin.PostAsync("/api/hierarchy/communities", new { id = $"c-{prefix}-{c}", parentId = $"st-{prefix}", name = $"调整社区{c}" }));
    }

    [Fact]
    public async Task An_admin_moves_a_building_then_its_grid_and_the_devices_in_the_bridge_follow_each_move()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        await AddStreetAsync(admin, "mv", 3);
        await OkAsync(admin.PostAsync("/api/hierarchy/grids", new { id = "g-mv-a", parentId = "c-mv-1", name = "调整甲网格" }));
        await OkAsync(admin.PostAsync("/api/hierarchy/grids", new { id = "g-mv-b", parentId = "c-mv-2", name = "调整乙网格" }));
        await OkAsync(admin.PostAsync("/api/hierarchy/buildings", new { id = "b-mv", parentId = "g-mv-a", name = "1号楼", floors = 6, lon = 120.16, lat = 30.25 }));
        await OkAsync(admin.PostAsync("/api/devices", new { id = "fire-mv-1", kind = "fire", buildingId = "b-mv" }));
        Assert.Equal(("g-mv-a", "c-mv-1"), (InBridge("fire-mv-1").GridId, InBridge("fire-mv-1").CommunityId));

        var building = await OkAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/buildings/b-mv", new { parentId = "g-mv-b", floors = 9 }));
        Assert.Equal(("g-mv-b", 9, "1号楼", 120.16, 1), (building.GetProperty("parentId").GetString(), building.GetProperty("floors").GetInt32(),
            building.GetProperty("name").GetString(), building.GetProperty("lon").GetDouble(), building.GetProperty("devicesMoved").GetInt32()));
        Assert.Equal(("b-mv", "g-mv-b", "c-mv-2"), (InBridge("fire-mv-1").BuildingId, InBridge("fire-mv-1").GridId, InBridge("fire-mv-1").CommunityId));
        Assert.Equal("g-mv-b", (await admin.GetAsync("/api/devices/fire-mv-1")).Body.GetProperty("gridId").GetString());

        double[][] square = [[121.0, 31.0], [121.01, 31.0], [121.01, 31.01], [121.0, 31.01]];
        var grid = await OkAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g-mv-b", new { parentId = "c-mv-3", polygon = square }));
        Assert.Equal(("c-mv-3", "调整乙网格", 1), (grid.GetProperty("parentId").GetString(), grid.GetProperty("name").GetString(), grid.GetProperty("devicesMoved").GetInt32()));
        Assert.Equal(("g-mv-b", "c-mv-3", "st-mv"), (InBridge("fire-mv-1").GridId, InBridge("fire-mv-1").CommunityId, InBridge("fire-mv-1").StreetId));
        var shown = (await admin.GetAsync("/api/hierarchy")).Body.GetProperty("grids").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "g-mv-b");
        Assert.Equal(("c-mv-3", 4, 121.01), (shown.GetProperty("communityId").GetString(), shown.GetProperty("polygon").GetArrayLength(), shown.GetProperty("polygon")[1][0].GetDouble()));
        // A report at a point in the new polygon is located in the moved grid (the locator was reset).
        var report = await OkAsync(admin.PostAsync("/api/incidents", new { text = "井盖缺失", lon = 121.005, lat = 31.005 }));
        Assert.Equal(("g-mv-b", "c-mv-3"), (report.GetProperty("gridId").GetString(), report.GetProperty("communityId").GetString()));
    }

    [Fact]
    public async Task An_open_screen_is_told_the_district_changed_and_reads_the_new_name()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        await AddStreetAsync(admin, "dc", 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var screen = await HubClient.ConnectAsync(new Uri(host.BaseAddress, "/hubs/ops"), await host.TokenAsync("operator"), timeout.Token);
        // Resume answers once the connection is in its groups: what follows reaches it.
        Assert.Equal(JsonValueKind.Array, (await screen.InvokeAsync("Resume", [long.MaxValue - 1], timeout.Token)).ValueKind);
        await OkAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/communities/c-dc-1", new { name = "新名社区" }));
        await screen.WaitForAsync("districtChanged", _ => true, timeout.Token);
        var operatorView = await ApiClient.LoginAsync(host, "operator");
        Assert.Equal("新名社区", (await operatorView.GetAsync("/api/hierarchy")).Body.GetProperty("communities").EnumerateArray()
            .Single(c => c.GetProperty("id").GetString() == "c-dc-1").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Edits_with_an_unknown_parent_a_parent_of_the_wrong_level_or_a_bad_shape_are_refused_in_both_languages()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        await RefusedAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/buildings/g1-b1", new { parentId = "c1" }), HttpStatusCode.BadRequest,
            "'c1' is a community; a building can only be moved under a grid. / c1 是社区，楼栋只能归属网格。");
        await RefusedAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g1", new { parentId = "c-none" }), HttpStatusCode.BadRequest,
            "Unknown community 'c-none'. / 没有编号为 c-none 的社区。");
        await RefusedAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/streets/st1", new { parentId = "st1" }), HttpStatusCode.BadRequest, "街道没有上级地点");
        await RefusedAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g1", new { polygon = new[] { new[] { 1.0 } } }), HttpStatusCode.BadRequest, "[lon, lat] pairs");
        await RefusedAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g1", new { floors = 3 }), HttpStatusCode.BadRequest, "Only a building has floors");
        await RefusedAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/buildings/no-such", new { floors = 3 }), HttpStatusCode.NotFound, "No building 'no-such'");
        // Moving to the parent it already has is no error.
        var same = await OkAsync(admin.SendAsync(HttpMethod.Put, "/api/hierarchy/buildings/g1-b1", new { parentId = "g1" }));
        Assert.Equal(("g1", 0), (same.GetProperty("parentId").GetString(), same.GetProperty("devicesMoved").GetInt32()));
    }

    [Fact]
    public async Task Operators_move_a_device_to_another_building_and_the_bridge_follows_others_are_refused()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        await AddStreetAsync(admin, "mvd", 1);
        await OkAsync(admin.PostAsync("/api/hierarchy/grids", new { id = "g-mv-d", parentId = "c-mvd-1", name = "设备调整网格" }));
        await OkAsync(admin.PostAsync("/api/hierarchy/buildings", new { id = "b-mv-d1", parentId = "g-mv-d", name = "1号楼", floors = 6, lon = 120.16, lat = 30.25 }));
        await OkAsync(admin.PostAsync("/api/hierarchy/buildings", new { id = "b-mv-d2", parentId = "g-mv-d", name = "2号楼", floors = 6, lon = 120.161, lat = 30.25 }));
        await OkAsync(admin.PostAsync("/api/devices", new { id = "chg-mv-d", kind = "charger", buildingId = "b-mv-d1" }));

        var op = await ApiClient.LoginAsync(host, "operator");
        var moved = await OkAsync(op.SendAsync(HttpMethod.Put, "/api/devices/chg-mv-d", new { buildingId = "b-mv-d2" }));
        Assert.Equal(("b-mv-d2", "g-mv-d"), (moved.GetProperty("buildingId").GetString(), moved.GetProperty("gridId").GetString()));
        Assert.Equal("b-mv-d2", InBridge("chg-mv-d").BuildingId);
        moved = await OkAsync(op.SendAsync(HttpMethod.Put, "/api/devices/chg-mv-d", new { buildingId = "g1-b1", lon = 120.1507, lat = 30.2521 }));
        Assert.Equal(("g1", "c1", 120.1507), (moved.GetProperty("gridId").GetString(), moved.GetProperty("communityId").GetString(), moved.GetProperty("lon").GetDouble()));
        Assert.Equal(("g1-b1", "g1", "c1"), (InBridge("chg-mv-d").BuildingId, InBridge("chg-mv-d").GridId, InBridge("chg-mv-d").CommunityId));
        Assert.Equal(HttpStatusCode.OK, (await op.SendAsync(HttpMethod.Put, "/api/devices/chg-mv-d", new { buildingId = "b-mv-d1" })).Status); // and back

        await RefusedAsync(op.SendAsync(HttpMethod.Put, "/api/devices/chg-mv-d", new { buildingId = "nowhere" }), HttpStatusCode.BadRequest, "Unknown building 'nowhere'");
        await RefusedAsync(op.SendAsync(HttpMethod.Put, "/api/devices/chg-mv-d", new { buildingId = " " }), HttpStatusCode.BadRequest, "buildingId is required");
        await RefusedAsync(op.SendAsync(HttpMethod.Put, "/api/devices/chg-mv-d", new { buildingId = "b-mv-d2", lon = 120.1 }), HttpStatusCode.BadRequest, "lon and lat go together");
        await RefusedAsync(op.SendAsync(HttpMethod.Put, "/api/devices/no-such", new { buildingId = "b-mv-d2" }), HttpStatusCode.NotFound, "no-such");
        var community2 = await ApiClient.LoginAsync(host, "community2");
        await RefusedAsync(community2.SendAsync(HttpMethod.Put, "/api/devices/chg-mv-d", new { buildingId = "b-mv-d2" }), HttpStatusCode.Forbidden, "Operator, Admin");
        Assert.Equal("b-mv-d1", InBridge("chg-mv-d").BuildingId);
    }
}
