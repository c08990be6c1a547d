using System.Net;
using System.Text;
using System.Text.Json;
using Smart.Mqtt;
using Smart.Testing;

namespace Smart.Host.Tests.Api;

/// <summary>维护/测试: a device under maintenance sends nobody out; after it, its findings are incidents again.</summary>
[Collection(HostCollection.Name)]
public sealed class DeviceMaintenanceTests(HostFixture host)
{
    [Fact]
    public async Task A_detector_alarming_under_maintenance_raises_no_incident_and_what_it_still_finds_after_it_is_raised()
    {
        // A building of this test's own, so no other test's detectors confirm a fire with this one.
        var admin = await ApiClient.LoginAsync(host, "admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/grids", new { id = "g-mt", parentId = "c2", name = "银杏第5网格" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/buildings",
            new { id = "b-mt", parentId = "g-mt", name = "5区9栋", floors = 6, lon = 120.19, lat = 30.26 })).Status);
        var (registered, device) = await admin.PostAsync("/api/devices", new { id = "fire-mt-1", kind = "fire", buildingId = "b-mt" });
        Assert.Equal(HttpStatusCode.Created, registered);
        var topic = device.GetProperty("mqtt").GetProperty("telemetryTopic").GetString()!;

        // Only the operations centre's roles, within limits, on a known device.
        var operatorClient = await ApiClient.LoginAsync(host, "operator");
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorClient.SendAsync(HttpMethod.Put, "/api/devices/fire-mt-1/maintenance", new { minutes = 0 })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorClient.SendAsync(HttpMethod.Put, "/api/devices/fire-mt-1/maintenance", new { minutes = 8 * 24 * 60 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.SendAsync(HttpMethod.Put, "/api/devices/fire-nope/maintenance", new { minutes = 30 })).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await (await ApiClient.LoginAsync(host, "community2")).SendAsync(HttpMethod.Put, "/api/devices/fire-mt-1/maintenance", new { minutes = 30 })).Status);
        var before = DateTimeOffset.UtcNow;
        var (started, dto) = await operatorClient.SendAsync(HttpMethod.Put, "/api/devices/fire-mt-1/maintenance", new { minutes = 30, note = "年检测试 annual test" });
        Assert.Equal(HttpStatusCode.OK, started);
        Assert.InRange(dto.GetProperty("maintenanceUntil").GetDateTimeOffset(), before.AddMinutes(30), DateTimeOffset.UtcNow.AddMinutes(30));
        Assert.Equal("年检测试 annual test", dto.GetProperty("maintenanceNote").GetString());

        // Test spray: the detector's own alarm and smoke over the limit; nobody is sent.
        await using var detector = new MqttClient(new MqttClientOptions { Host = host.Broker.Host, Port = host.Broker.Port, ClientId = "fire-mt-1" });
        await detector.ConnectAsync();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PublishAsync(detector, topic, ts, smoke: 9, alarm: true);
        await Eventually.UntilAsync(async () => (await admin.GetAsync("/api/devices/fire-mt-1")).Body.GetProperty("lastSeenAt") is { ValueKind: JsonValueKind.String } seen
            && seen.GetDateTimeOffset().ToUnixTimeMilliseconds() == ts, TimeSpan.FromSeconds(20), "the bridge to take the test reading");

        // Ended early, with the smoke still there (the detector's own alarm reset): once the host has seen the end (its
        // housekeeping, every 30 s) what the detector still finds is raised. Without that it would stay silent until the
        // smoke cleared and came back.
        var (ended, after) = await operatorClient.SendAsync(HttpMethod.Delete, "/api/devices/fire-mt-1/maintenance", null);
        Assert.Equal(HttpStatusCode.OK, ended);
        Assert.True(after.GetProperty("maintenanceUntil").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        JsonElement incidents = default;
        await Eventually.UntilAsync(async () =>
        {
            ts = Math.Max(ts + 1_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await PublishAsync(detector, topic, ts, smoke: 9, alarm: false);
            return (incidents = (await admin.GetAsync("/api/incidents?deviceId=fire-mt-1")).Body.GetProperty("items")).GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(60), "the smoke still there after the maintenance to become an incident", pollMs: 1_000);
        var incident = Assert.Single(incidents.EnumerateArray());
        // Its first finding is the smoke after the end: the alarm under maintenance made none (it would have been the
        // incident, updated by the smoke).
        Assert.Equal("fire.smoke", incident.GetProperty("type").GetString());
        var (_, history) = await admin.GetAsync($"/api/incidents/{incident.GetProperty("id").GetInt64()}/history");
        Assert.DoesNotContain(history.EnumerateArray(), e => e.GetProperty("change").GetString() == "updated");
    }

    private static Task PublishAsync(MqttClient client, string topic, long ts, double smoke, bool alarm) =>
        client.PublishAsync(topic, Encoding.UTF8.GetBytes(
            $$"""{"ts":{{ts}},"smoke_pct_per_m":{{smoke.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"temp_c":21,"co_ppm":1,"alarm":{{(alarm ? "true" : "false")}}}"""),
            MqttQos.AtLeastOnce);
}
