using System.Net;
using System.Text.Json;

namespace Smart.Host.Tests.Api;

/// <summary>The device list: pages of the caller's scope by id, with <c>total</c> counting every match, not just the page.</summary>
[Collection(HostCollection.Name)]
public sealed class DevicesApiTests(HostFixture host)
{
    [Fact]
    public async Task A_page_of_devices_carries_the_total_of_all_that_match_the_filters()
    {
        // A grid of this test's own (in c3), so other tests' devices do not change its counts.
        var admin = await ApiClient.LoginAsync(host, "admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/grids", new { id = "g-dl", parentId = "c3", name = "香樟第5网格" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/buildings",
            new { id = "b-dl", parentId = "g-dl", name = "5区1栋", floors = 6, lon = 120.18, lat = 30.25 })).Status);
        foreach (var (id, kind) in new[] { ("fire-dl-1", "fire"), ("fire-dl-2", "fire"), ("cam-dl-1", "camera") })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/devices", new { id, kind, buildingId = "b-dl" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Delete, "/api/devices/fire-dl-2", null)).Status); // retired ones count too

        static (string Ids, int Total) Page(JsonElement body) =>
            (string.Join(' ', body.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString())), body.GetProperty("total").GetInt32());
        Assert.Equal(("cam-dl-1 fire-dl-1", 3), Page((await admin.GetAsync("/api/devices?gridId=g-dl&limit=2")).Body));
        Assert.Equal(("fire-dl-2", 3), Page((await admin.GetAsync("/api/devices?gridId=g-dl&offset=2&limit=2")).Body));
        Assert.Equal(("fire-dl-1 fire-dl-2", 2), Page((await admin.GetAsync("/api/devices?gridId=g-dl&kind=fire")).Body));
        // Scoped: community staff of c3 count the grid's devices; those of c1 see none of them.
        Assert.Equal(3, Page((await (await ApiClient.LoginAsync(host, "community3")).GetAsync("/api/devices?gridId=g-dl&limit=1")).Body).Total);
        Assert.Equal(("", 0), Page((await (await ApiClient.LoginAsync(host, "community1")).GetAsync("/api/devices?gridId=g-dl")).Body));

        // By status (the bridge's online flag, or retired): which of the grid's devices are offline, a page at a time.
        var board = host.Service<Smart.Host.Bridge.DeviceStatusBoard>();
        board.SetOnline("cam-dl-1", true, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(("cam-dl-1", 1), Page((await admin.GetAsync("/api/devices?gridId=g-dl&status=online")).Body));
        Assert.Equal(("fire-dl-1", 1), Page((await admin.GetAsync("/api/devices?gridId=g-dl&status=offline")).Body));
        Assert.Equal(("fire-dl-2", 1), Page((await admin.GetAsync("/api/devices?gridId=g-dl&status=retired")).Body));
        board.SetOnline("cam-dl-1", false, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(("cam-dl-1", 2), Page((await admin.GetAsync("/api/devices?gridId=g-dl&status=offline&limit=1")).Body));
        Assert.Equal(("fire-dl-1", 2), Page((await admin.GetAsync("/api/devices?gridId=g-dl&status=offline&offset=1")).Body));
        Assert.Equal(("", 0), Page((await (await ApiClient.LoginAsync(host, "community1")).GetAsync("/api/devices?gridId=g-dl&status=offline")).Body));
        var wrong = await admin.GetAsync("/api/devices?status=broken");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("online, offline, retired or maintenance", wrong.Body.ToString());
        // Under maintenance now, online or not.
        Assert.Equal(("", 0), Page((await admin.GetAsync("/api/devices?gridId=g-dl&status=maintenance")).Body));
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Put, "/api/devices/fire-dl-1/maintenance", new { minutes = 10 })).Status);
        Assert.Equal(("fire-dl-1", 1), Page((await admin.GetAsync("/api/devices?gridId=g-dl&status=maintenance")).Body));
        Assert.Equal(("cam-dl-1 fire-dl-1", 2), Page((await admin.GetAsync("/api/devices?gridId=g-dl&status=offline")).Body));
    }
}
