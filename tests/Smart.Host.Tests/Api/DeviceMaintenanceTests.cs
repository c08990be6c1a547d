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
    public async Task A_detector_alarming_under_maintenance_raises_no_incident_and_one_alarming_after_it_does()
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

        // Test spray: the detector's own alarm, then clear air again.
        await using var detector = new MqttClient(new MqttClientOptions { Host = host.Broker.Host, Port = host.Broker.Port, ClientId = "fire-mt-1" });
        await detector.ConnectAsync();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PublishAsync(detector, topic, ts, smoke: 3.5, alarm: true);
        await PublishAsync(detector, topic, ts + 10_000, smoke: 0.02, alarm: false);
        await Eventually.UntilAsync(async () => (await admin.GetAsync("/api/devices/fire-mt-1")).Body.GetProperty("lastSeenAt") is { ValueKind: JsonValueKind.String } seen
            && seen.GetDateTimeOffset().ToUnixTimeMilliseconds() == ts + 10_000, TimeSpan.FromSeconds(20), "the bridge to take the test readings");

        // Ended early: from now on it is a detector like any other. (A test reading that arrives late still counts as the test's.)
        var (ended, after) = await operatorClient.SendAsync(HttpMethod.Delete, "/api/devices/fire-mt-1/maintenance", null);
        Assert.Equal(HttpStatusCode.OK, ended);
        Assert.True(after.GetProperty("maintenanceUntil").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        // After the last test reading (an earlier one would be a late reading, not evaluated) and after the end.
        var fireTs = Math.Max(ts + 20_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1_000);
        await PublishAsync(detector, topic, fireTs, smoke: 9, alarm: false); // ≥ 2 × 4 %/m: raised at once

        JsonElement incidents = default;
        await Eventually.UntilAsync(async () => (incidents = (await admin.GetAsync("/api/incidents?deviceId=fire-mt-1")).Body.GetProperty("items")).GetArrayLength() > 0,
            TimeSpan.FromSeconds(20), "the smoke after the maintenance to become an incident");
        var incident = Assert.Single(incidents.EnumerateArray());
        // Its first finding is the smoke: the alarm under maintenance made none (it would have been the incident, updated by the smoke).
        Assert.Equal("fire.smoke", incident.GetProperty("type").GetString());
        var (_, history) = await admin.GetAsync($"/api/incidents/{incident.GetProperty("id").GetInt64()}/history");
        Assert.DoesNotContain(history.EnumerateArray(), e => e.GetProperty("change").GetString() == "updated");
    }

    private static Task PublishAsync(MqttClient client, string topic, long ts, double smoke, bool alarm) =>
        client.PublishAsync(topic, Encoding.UTF8.GetBytes(
            $$"""{"ts":{{ts}},"smoke_pct_per_m":{{smoke.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"temp_c":21,"co_ppm":1,"alarm":{{(alarm ? "true" : "false")}}}"""),
            MqttQos.AtLeastOnce);
}
