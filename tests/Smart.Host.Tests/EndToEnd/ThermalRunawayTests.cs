using System.Text;
using System.Text.Json;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Core.Incidents;
using Smart.Incidents;
using Smart.Mqtt;

namespace Smart.Host.Tests.EndToEnd;

/// <summary>A charging port in thermal runaway: the bridge cuts its power over MQTT and raises a P1 incident.</summary>
[Collection(HostCollection.Name)]
public sealed class ThermalRunawayTests(HostFixture host)
{
    [Fact]
    public async Task A_port_over_the_runaway_temperature_while_charging_gets_cut_power_and_a_P1_incident()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var charger = DemoDistrict.Create().Devices.First(d => d.Kind == DeviceKind.Charger && d.GridId == "g8");
        await using var device = new MqttClient(new MqttClientOptions { Port = host.Broker.Port, ClientId = charger.Id, AutoReconnect = false });
        await device.ConnectAsync(timeout.Token);
        await device.SubscribeAsync(DeviceTopic.Format(DeviceKind.Charger, charger.Id, TopicChannel.Command), MqttQos.AtLeastOnce, timeout.Token);

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var topic = DeviceTopic.Format(DeviceKind.Charger, charger.Id, TopicChannel.Telemetry);
        for (var i = 0; i < 3; i++)
        {
            var reading = $$"""{"ts":{{now - (3 - i) * 5000}},"seq":{{i + 1}},"port":2,"state":"charging","voltage_v":220,"current_a":4.5,"power_w":990,"energy_wh":300,"temp_c":{{85 + 10 * i}},"leak_ma":2}""";
            await device.PublishAsync(topic, Encoding.UTF8.GetBytes(reading), MqttQos.AtLeastOnce, ct: timeout.Token);
        }

        var command = await device.Messages.ReadAsync(timeout.Token);
        using (var json = JsonDocument.Parse(command.Payload))
        {
            Assert.Equal("cut_power", json.RootElement.GetProperty("cmd").GetString());
            Assert.Equal(2, json.RootElement.GetProperty("port").GetInt32());
        }
        // The command goes out after the readings that caused it are durable, and with them the incident.
        var page = await host.Service<IncidentStore>().ListAsync(new IncidentQuery { DeviceId = charger.Id, Type = IncidentTypes.ChargerThermalRunaway }, Scope.All, timeout.Token);
        Assert.Equal(Severity.P1, Assert.Single(page.Items).Severity);
    }
}
