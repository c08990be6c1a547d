using System.Text.Json;
using Smart.Core;
using Smart.Testing;
using Xunit.Abstractions;

namespace FirmwareSim.Tests.Broker;

[Collection(BrokerCollection.Name)]
public class StoreAndForwardTests(SecuredMosquittoFixture broker, ITestOutputHelper output)
{
    [Fact]
    public async Task Readings_taken_during_a_broker_outage_are_delivered_in_order_afterwards()
    {
        var devices = broker.Devices.Where(d => d.Kind == DeviceKind.Fire).Take(3).ToList();
        await using var observer = await Observer.StartAsync(broker, "smart/v1/+/+/telemetry");
        var options = broker.SimulatorOptions(devices, seed: 21);
        options.IntervalScale = 0.005; // a reading every ~150 ms
        await using var sim = new Simulator(options);
        await sim.StartAsync();
        await Eventually.UntilAsync(() => observer.Received.Count >= 10, TimeSpan.FromSeconds(20), "traffic before the outage");

        var generatedAtStop = sim.Stats.Generated;
        await broker.StopAsync();
        // The outage must span readings: at least 20 taken and buffered after the broker went away.
        await Eventually.UntilAsync(() => sim.BufferedMessages >= 20 && sim.Stats.Generated >= generatedAtStop + 20,
            TimeSpan.FromSeconds(20), "readings taken and buffered while the broker is down");
        await broker.StartAsync();
        await Eventually.UntilAsync(() => sim.ConnectedDevices == devices.Count, TimeSpan.FromSeconds(30), "devices reconnected");
        await sim.StopAsync();
        output.WriteLine($"{sim.Stats} generated_at_stop={generatedAtStop}");
        Assert.Equal(0, sim.Stats.Dropped);

        await Eventually.UntilAsync(() => devices.Sum(d => (long)Seqs(observer, d.Topic(TopicChannel.Telemetry)).Distinct().Count()) == sim.Stats.Generated,
            TimeSpan.FromSeconds(20), "every generated reading delivered");
        foreach (var d in devices)
        {
            // At-least-once may repeat a message that was in flight when the broker went down; order and completeness hold.
            var firstSeen = Seqs(observer, d.Topic(TopicChannel.Telemetry)).Distinct().ToList();
            Assert.Equal(Enumerable.Range(1, firstSeen.Count).Select(i => (long)i), firstSeen);
            Assert.True(firstSeen.Count > 5, $"{d.Id}: only {firstSeen.Count} readings");
        }
    }

    private static List<long> Seqs(Observer o, string topic) => o.Json(topic).Select(r => r.GetProperty("seq").GetInt64()).ToList();
}
