using System.Text;
using System.Text.Json;
using FirmwareSim.Hub;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Incidents;
using Smart.Mqtt;
using Smart.Testing;

namespace Smart.Host.Tests.EndToEnd;

/// <summary>The walking skeleton's one real path: device → MQTT → bridge → InfluxDB + rule → incident → hub.</summary>
[Collection(HostCollection.Name)]
public sealed class FireToScreenTests(HostFixture host)
{
    [Fact]
    public async Task Smoke_in_a_flat_is_stored_becomes_an_incident_and_reaches_the_ops_hub()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var device = DemoDistrict.Create().Devices.First(d => d.Kind == DeviceKind.Fire && d.GridId == "g2");
        await using var hub = await HubClient.ConnectAsync(new Uri(host.BaseAddress, "/hubs/ops"), await host.TokenAsync("operator"), timeout.Token);

        await using var mqtt = new MqttClient(new MqttClientOptions { Host = host.Broker.Host, Port = host.Broker.Port, ClientId = device.Id });
        await mqtt.ConnectAsync(timeout.Token);
        var topic = DeviceTopic.Format(DeviceKind.Fire, device.Id, TopicChannel.Telemetry);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        for (var i = 0; i < 60; i++)
        {
            // Clean air for 30 s, then dense smoke (well above any EN 54-7 alarm threshold) for 30 s.
            var smoke = i < 30 ? 0.02 : 12.0;
            var json = $$"""{"ts":{{start + i * 1000}},"seq":{{i + 1}},"smoke_pct_per_m":{{smoke}},"temp_c":24.5,"co_ppm":2,"battery_pct":88}""";
            await mqtt.PublishAsync(topic, Encoding.UTF8.GetBytes(json), MqttQos.AtLeastOnce, ct: timeout.Token);
        }

        var pushed = await hub.WaitForAsync("incident", call =>
            call.Arguments[0].GetProperty("incident").GetProperty("deviceIds").EnumerateArray().Any(d => d.GetString() == device.Id), timeout.Token);
        var incident = pushed.Arguments[0].GetProperty("incident");
        Assert.Equal("fire.smoke", incident.GetProperty("type").GetString());
        Assert.Equal(device.GridId, incident.GetProperty("gridId").GetString());

        var stored = await host.Service<IncidentStore>().GetAsync(incident.GetProperty("id").GetInt64(), Smart.Core.Incidents.Scope.All);
        Assert.NotNull(stored);
        Assert.Equal(device.Id, stored.DeviceId);

        await Eventually.UntilAsync(async () => CountOf(await host.Influx.QueryAsync(
            $"SELECT count(\"smoke_pct_per_m\") FROM \"fire\" WHERE \"device\" = '{device.Id}'", "smart")) == 60,
            TimeSpan.FromSeconds(20), "all 60 readings in InfluxDB");
    }

    private static long CountOf(string influxJson)
    {
        using var doc = JsonDocument.Parse(influxJson);
        var series = doc.RootElement.GetProperty("results")[0];
        return series.TryGetProperty("series", out var s) ? s[0].GetProperty("values")[0][1].GetInt64() : 0;
    }
}
