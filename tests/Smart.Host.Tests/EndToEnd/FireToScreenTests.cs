extern alias sim;
using System.Text.Json;
using sim::FirmwareSim;
using sim::FirmwareSim.Hub;
using sim::FirmwareSim.Registry;
using Smart.Incidents;
using Smart.Testing;

namespace Smart.Host.Tests.EndToEnd;

/// <summary>
/// The walking skeleton's one real path: firmware-sim plays a fire in a building → MQTT → bridge → InfluxDB + rules →
/// incidents in the store → <c>incident</c> events on the ops hub.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class FireToScreenTests(HostFixture host)
{
    [Fact]
    public async Task A_simulated_fire_is_stored_becomes_incidents_and_reaches_the_ops_hub()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var building = DeviceRegistry.Demo().Where(d => d.Device.BuildingId == "g2-b3").ToList();
        var burning = building.Where(d => d.Kind == Smart.Core.DeviceKind.Fire).Take(3).Select(d => d.Id).ToList();
        await using var hub = await HubClient.ConnectAsync(new Uri(host.BaseAddress, "/hubs/ops"), await host.TokenAsync("operator"), timeout.Token);

        // Ten times real time, sampling every 3 s of simulated time; started in the past so timestamps stay behind now.
        await using var simulator = new Simulator(new SimulatorOptions
        {
            BrokerUrl = host.Broker.Url, Devices = building, Speed = 10, IntervalScale = 0.1, Seed = 42,
            Start = DateTimeOffset.UtcNow.AddMinutes(-10),
        });
        var fireReadings = 0;
        simulator.Dispatched += m =>
        {
            if (!m.Invalid && m.Topic.StartsWith("smart/v1/fire/", StringComparison.Ordinal) && m.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
                Interlocked.Increment(ref fireReadings);
        };
        await simulator.StartAsync(timeout.Token);
        simulator.Inject("fire-building", TimeSpan.FromSeconds(20), burning);

        // The first detector's alarm (its own alarm or the smoke rule, whichever comes first: one fire is one incident per
        // detector), then the confirmed fire that the next detectors' alarms join.
        var smoke = await hub.WaitForAsync("incident", call => IsFor(call, t => t != "fire.confirmed" && t.StartsWith("fire.", StringComparison.Ordinal), burning), timeout.Token);
        var confirmed = await hub.WaitForAsync("incident", call => IsFor(call, t => t == "fire.confirmed", burning), timeout.Token);
        Assert.Equal("g2", Incident(smoke).GetProperty("gridId").GetString());
        Assert.Equal("P1", Incident(confirmed).GetProperty("severity").GetString());

        var stored = await host.Service<IncidentStore>().GetAsync(Incident(smoke).GetProperty("id").GetInt64(), Smart.Core.Incidents.Scope.All);
        Assert.NotNull(stored);
        Assert.Contains(stored.DeviceId, burning);

        // Every fire reading the devices sent (and the broker acknowledged) is a point in InfluxDB, exactly once.
        await simulator.StopAsync();
        Assert.Equal(0, simulator.Stats.Dropped);
        var expected = Volatile.Read(ref fireReadings);
        await Eventually.UntilAsync(async () => await ReadingsInInfluxAsync(building.Select(d => d.Id)) == expected,
            TimeSpan.FromSeconds(20), $"all {expected} simulated fire readings in InfluxDB");
    }

    private static JsonElement Incident(HubInvocation call) => call.Arguments[0].GetProperty("incident");

    private static bool IsFor(HubInvocation call, Func<string, bool> type, IReadOnlyList<string> devices)
    {
        var incident = Incident(call);
        return type(incident.GetProperty("type").GetString()!)
            && incident.GetProperty("deviceIds").EnumerateArray().Any(d => devices.Contains(d.GetString()!));
    }

    private async Task<long> ReadingsInInfluxAsync(IEnumerable<string> devices)
    {
        var ids = string.Join("|", devices);
        var json = await host.Influx.QueryAsync($"SELECT count(\"temp_c\") FROM \"fire\" WHERE \"device\" =~ /^({ids})$/", "smart");
        using var doc = JsonDocument.Parse(json);
        var result = doc.RootElement.GetProperty("results")[0];
        return result.TryGetProperty("series", out var s) ? s[0].GetProperty("values")[0][1].GetInt64() : 0;
    }
}
