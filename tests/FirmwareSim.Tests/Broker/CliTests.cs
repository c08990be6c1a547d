using System.Text.Json;
using FirmwareSim.Cli;
using FirmwareSim.Registry;
using FirmwareSim.Scenarios;
using Smart.Core;
using Smart.Testing;

namespace FirmwareSim.Tests.Broker;

[Collection(BrokerCollection.Name)]
public class CliTests(SecuredMosquittoFixture broker)
{
    [Fact]
    public async Task Accelerated_demo_run_injects_the_listed_scenarios_and_writes_their_ground_truth()
    {
        using var dir = new TempDirectory();
        var registry = dir.File("devices.json");
        DeviceRegistry.WriteFile(registry, broker.Devices);
        var truthPath = dir.File("truth.csv");
        await using var observer = await Observer.StartAsync(broker, "smart/v1/+/+/telemetry");
        var before = DateTimeOffset.UtcNow;

        // 2 simulated hours at ×1200 take 6 s; the run starts 2 h in the past so timestamps end near now.
        var rc = await SimCli.Build().Parse(["demo", "--broker", broker.Url, "--devices", registry, "--seed", "4", "--speed", "1200",
            "--duration", "2h", "--scenarios", "co-leak,charger-overheat", "--first-scenario", "10m", "--scenario-every", "30m",
            "--ground-truth", truthPath]).InvokeAsync();

        Assert.Equal(0, rc);
        var truth = GroundTruth.ReadCsv(truthPath);
        Assert.Equal(["fire.co", "charger.overheat"], truth.Select(r => r.Expected));
        Assert.Equal(30 * 60_000, truth[1].StartMs - truth[0].StartMs);
        Assert.All(truth, r => Assert.Contains(r.Device, broker.Devices.Select(d => d.Id)));
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(truth[0].StartMs), before.AddMinutes(-115), before.AddMinutes(-105));

        // Timestamps are simulated: about two hours of readings arrived in seconds, and the CO leak shows in its device's data.
        await Eventually.UntilAsync(() => observer.Received.Count > 1000, TimeSpan.FromSeconds(20), "accelerated telemetry");
        var ts = observer.Received.Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("ts").GetInt64()).ToList();
        // Upper bound: at ×1200 every 50 ms of wall time the clean stop takes is another simulated minute.
        Assert.InRange(TimeSpan.FromMilliseconds(ts.Max() - ts.Min()).TotalMinutes, 100, 135);
        var co = observer.Json(DeviceTopic.Format(DeviceKind.Fire, truth[0].Device, TopicChannel.Telemetry))
            .Where(r => r.GetProperty("ts").GetInt64() > truth[0].StartMs + 700_000 && r.GetProperty("ts").GetInt64() < truth[0].EndMs)
            .Select(r => r.GetProperty("co_ppm").GetDouble()).ToList();
        Assert.NotEmpty(co);
        Assert.All(co, v => Assert.True(v > 200, $"co_ppm {v}"));
    }
}
