using System.Text.Json;
using FirmwareSim.Registry;
using Smart.Core;
using Smart.Testing;
using Xunit.Abstractions;

namespace FirmwareSim.Tests.Broker;

[Collection(BrokerCollection.Name)]
public class FleetBrokerTests(SecuredMosquittoFixture broker, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Devices_publish_telemetry_with_their_own_credentials_and_retained_status()
    {
        await using var observer = await Observer.StartAsync(broker);
        var options = broker.SimulatorOptions();
        options.IntervalScale = 0.02; // sample every ~0.6 s instead of 30 s
        await using var sim = new Simulator(options);
        await sim.StartAsync();
        Assert.Equal(broker.Devices.Count, sim.ConnectedDevices);
        await Eventually.UntilAsync(() => broker.Devices.All(d => observer.Json(d.Topic(TopicChannel.Telemetry)).Any()), Deadline, "telemetry from every device");
        foreach (var d in broker.Devices)
            Assert.Contains(observer.Json(d.Topic(TopicChannel.Status)), s => s.GetProperty("online").GetBoolean());
        await sim.StopAsync();
        Assert.Equal(0, sim.Stats.Rejected);
        Assert.Equal(sim.Stats.Generated, sim.Stats.Published);
        // A clean shutdown leaves every device marked offline (retained, for screens that connect later).
        await Eventually.UntilAsync(() => broker.Devices.All(d => observer.Json(d.Topic(TopicChannel.Status)).LastOrDefault() is { } s && !s.GetProperty("online").GetBoolean()),
            Deadline, "offline status from every device");
        output.WriteLine(sim.Stats.ToString());
    }

    [Fact]
    public async Task Cut_power_command_stops_charging_on_that_port()
    {
        var charger = broker.Devices.First(d => d.Kind == DeviceKind.Charger);
        await using var observer = await Observer.StartAsync(broker);
        var options = broker.SimulatorOptions([charger], seed: 3);
        options.IntervalScale = 0.02;
        await using var sim = new Simulator(options);
        await sim.StartAsync();
        var overheat = sim.Inject("charger-overheat", deviceIds: [charger.Id]);
        var telemetry = charger.Topic(TopicChannel.Telemetry);
        bool PortIs(JsonElement r, string state) => r.GetProperty("port").GetInt32() == overheat.Port && r.GetProperty("state").GetString() == state;
        await Eventually.UntilAsync(() => observer.Json(telemetry).Any(r => PortIs(r, "charging") && r.GetProperty("current_a").GetDouble() > 0.5),
            Deadline, $"port {overheat.Port} charging");

        await observer.PublishAsync(charger.Topic(TopicChannel.Command), $$"""{"cmd":"cut_power","port":{{overheat.Port}}}""");

        await Eventually.UntilAsync(() => observer.Json(charger.Topic(TopicChannel.Event)).Any(e => e.GetProperty("type").GetString() == "fault"),
            Deadline, "fault event reporting the cut");
        var afterCut = observer.Received.Count;
        await Eventually.UntilAsync(() => observer.Json(telemetry).Skip(0).Count(r => PortIs(r, "idle")) >= 3, Deadline, "port idle in later telemetry");
        var portLines = observer.Json(telemetry).Where(r => r.GetProperty("port").GetInt32() == overheat.Port).ToList();
        var firstIdle = portLines.FindIndex(r => PortIs(r, "idle"));
        Assert.All(portLines.Skip(firstIdle), r =>
        {
            Assert.Equal("idle", r.GetProperty("state").GetString());
            Assert.Equal(0, r.GetProperty("current_a").GetDouble());
            Assert.Equal(0, r.GetProperty("power_w").GetDouble());
        });
        Assert.Equal(1, sim.Stats.Commands);
        await sim.StopAsync();
        Assert.True(afterCut > 0);
    }

    [Fact]
    public async Task Publishing_on_another_devices_topic_is_refused_by_the_broker()
    {
        var fire = broker.Devices.Where(d => d.Kind == DeviceKind.Fire).Take(2).ToList();
        await using var observer = await Observer.StartAsync(broker);
        var options = broker.SimulatorOptions(fire, seed: 5);
        options.Speed = 10; // the scenario spreads its 7 messages over 30 simulated seconds
        await using var sim = new Simulator(options);
        await sim.StartAsync();
        sim.Inject("bad-input", deviceIds: [fire[0].Id]);
        await Eventually.UntilAsync(() => sim.Stats.Invalid >= 7, Deadline, "all 7 bad messages sent or refused");
        await sim.StopAsync();
        Assert.True(sim.Stats.Rejected >= 1, sim.Stats.ToString()); // other_device: MQTT 5 PUBACK 0x87 not authorised
        Assert.DoesNotContain(observer.Json(fire[1].Topic(TopicChannel.Telemetry)), r => r.TryGetProperty("co_ppm", out var co) && co.GetDouble() >= 500);
        Assert.Contains(observer.Received, m => m.Payload.Length > 8 * 1024); // oversize reaches the bridge, which must dead-letter it
    }
}
