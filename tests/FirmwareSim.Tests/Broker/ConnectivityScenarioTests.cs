using Smart.Core;
using Smart.Testing;

namespace FirmwareSim.Tests.Broker;

[Collection(BrokerCollection.Name)]
public class ConnectivityScenarioTests(SecuredMosquittoFixture broker)
{
    [Fact]
    public async Task Dead_device_is_marked_offline_by_its_will_and_comes_back_online()
    {
        var device = broker.Devices.First(d => d.Kind == DeviceKind.Fire);
        await using var observer = await Observer.StartAsync(broker, device.Topic(TopicChannel.Status));
        var options = broker.SimulatorOptions([device], seed: 13);
        options.Speed = 300; // the 30-minute outage passes in 6 s
        await using var sim = new Simulator(options);
        await sim.StartAsync();
        var dead = sim.Inject("device-dead", TimeSpan.FromSeconds(30), [device.Id]);
        var status = device.Topic(TopicChannel.Status);
        // The device never says goodbye: the broker publishes its will when the connection dies.
        await Eventually.UntilAsync(() => observer.Json(status).Any(s => !s.GetProperty("online").GetBoolean()), TimeSpan.FromSeconds(20), "will: online=false");
        Assert.True(sim.Clock.NowMs < dead.EndMs, "the will must arrive during the outage, not at the end");
        await Eventually.UntilAsync(() => observer.Json(status).LastOrDefault() is { } s && s.GetProperty("online").GetBoolean() && sim.Clock.NowMs > dead.EndMs,
            TimeSpan.FromSeconds(30), "back online after the outage");
        await sim.StopAsync();
    }

    [Fact]
    public async Task Flapping_device_loses_nothing()
    {
        var device = broker.Devices.First(d => d.Kind == DeviceKind.Manhole);
        await using var observer = await Observer.StartAsync(broker, device.Topic(TopicChannel.Telemetry));
        var options = broker.SimulatorOptions([device], seed: 17);
        options.Speed = 60; // 20 s offline / 40 s online becomes 0.33 s / 0.67 s
        options.IntervalScale = 0.1;
        await using var sim = new Simulator(options);
        await sim.StartAsync();
        var flap = sim.Inject("flapping", deviceIds: [device.Id]);
        await sim.WaitUntilAsync(flap.EndMs + 10_000);
        await sim.StopAsync();
        Assert.True(sim.Stats.Connects >= 8, sim.Stats.ToString()); // 10 outages, a reconnect after each
        await Eventually.UntilAsync(() => observer.Json(device.Topic(TopicChannel.Telemetry)).Select(r => r.GetProperty("seq").GetInt64()).Distinct().Count() == sim.Stats.Generated,
            TimeSpan.FromSeconds(20), "every reading delivered");
        var seqs = observer.Json(device.Topic(TopicChannel.Telemetry)).Select(r => r.GetProperty("seq").GetInt64()).Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
    }
}
