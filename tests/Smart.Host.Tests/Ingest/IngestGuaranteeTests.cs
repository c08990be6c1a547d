using System.Text;
using Smart.Testing;
using Xunit.Abstractions;

namespace Smart.Host.Tests.Ingest;

/// <summary>
/// Issue 7's host-level guarantees against real mosquitto + influxd with the host as its own process: InfluxDB
/// outage, host SIGKILL, bad-input flood, spool full. Each test has its own stack, so faults never leak between them.
/// </summary>
public sealed class IngestGuaranteeTests(ITestOutputHelper output)
{
    private const int Devices = 50;
    private const double Rate = 300;

    /// <summary>The issue asks for 60 s; the suite uses 15 s to stay fast. <c>INGEST_OUTAGE_SECONDS=60</c> runs the full one.</summary>
    private static int OutageSeconds =>
        int.TryParse(Environment.GetEnvironmentVariable("INGEST_OUTAGE_SECONDS"), out var s) && s > 0 ? s : 15;

    [Fact]
    public async Task InfluxDB_SIGKILLed_for_15s_or_INGEST_OUTAGE_SECONDS_under_steady_load_every_message_lands_exactly_once_and_the_spool_drains()
    {
        await using var rig = new IngestRig(Devices);
        await rig.StartAsync();
        await using var publisher = new SteadyPublisher(rig.Broker.Url, Devices, Rate);
        await publisher.ConnectAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var publishing = publisher.RunAsync(stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(4));
        rig.Influx.Kill();
        output.WriteLine($"influxd SIGKILLed for {OutageSeconds} s after {publisher.Acked} messages");
        await Eventually.UntilAsync(async () => await rig.MetricAsync("smart_influx_spooling") == 1, TimeSpan.FromSeconds(30), "the writer to start spooling");
        await Task.Delay(TimeSpan.FromSeconds(OutageSeconds));
        Assert.True(await rig.IsReadyAsync(), "the host must stay ready while InfluxDB is down (it spools)");
        await rig.Influx.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        stop.Cancel();
        await publishing;

        await AssertAllLandedAsync(rig, publisher);
        await Eventually.UntilAsync(async () => await rig.MetricAsync("smart_influx_spooling") == 0 && await rig.MetricAsync("smart_influx_spool_bytes") == 0,
            TimeSpan.FromSeconds(30), "the spool to drain");
        Assert.True(await rig.MetricAsync("smart_influx_batches_spooled_total") > 0, "the outage must have gone through the spool");
        Assert.True(await rig.IsReadyAsync());
        Assert.False(rig.HostExited);
    }

    [Fact]
    public async Task Host_SIGKILLed_under_load_and_restarted_every_PUBACKed_message_lands()
    {
        await using var rig = new IngestRig(Devices);
        await rig.StartAsync();
        await using var publisher = new SteadyPublisher(rig.Broker.Url, Devices, Rate);
        await publisher.ConnectAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var publishing = publisher.RunAsync(stop.Token);

        await Eventually.UntilAsync(async () => await rig.MetricAsync("smart_bridge_acknowledged_total") > 500, TimeSpan.FromSeconds(30), "the bridge to be busy");
        rig.KillHost();
        output.WriteLine($"host SIGKILLed after {publisher.Acked} published");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the broker queues for the bridge's persistent session meanwhile
        await rig.StartHostAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        stop.Cancel();
        await publishing;

        Assert.Equal(0, publisher.Failed);
        await AssertAllLandedAsync(rig, publisher);
    }

    [Fact]
    public async Task A_flood_of_bad_input_mixed_into_valid_traffic_is_counted_per_reason_and_every_valid_reading_lands()
    {
        await using var rig = new IngestRig(Devices);
        await rig.StartAsync();
        await using var publisher = new SteadyPublisher(rig.Broker.Url, Devices, Rate);
        await publisher.ConnectAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var publishing = publisher.RunAsync(stop.Token);

        const int each = 40;
        var bad = BadInputs(publisher);
        for (var i = 0; i < each; i++)
            foreach (var (_, topic, payload) in bad) await publisher.PublishRawAsync(topic, payload);
        stop.Cancel();
        await publishing;

        await AssertAllLandedAsync(rig, publisher);
        var counts = await rig.DeadLetterCountsAsync();
        foreach (var (reason, _, _) in bad)
        {
            Assert.Equal(each, counts.GetValueOrDefault(reason));
            Assert.Equal(each, await rig.MetricAsync("smart_bridge_rejected_total", $"reason=\"{reason}\""));
        }
        Assert.Equal(bad.Count * each, counts.Values.Sum());
        Assert.True(await rig.IsReadyAsync(), "the host must stay ready after the flood");
    }

    /// <summary>One message per rejection reason; the valid device ids are the rig's synthetic fire detectors.</summary>
    private static List<(string Reason, string Topic, byte[] Payload)> BadInputs(SteadyPublisher p)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] Json(string s) => Encoding.UTF8.GetBytes(s);
        const string fire = "smart/v1/fire/load-00001/telemetry";
        return
        [
            ("bad_json", fire, Json("{\"ts\":1,\"temp_c\":")),
            ("oversize", fire, Json("{\"pad\":\"" + new string('x', 9000) + "\"}")),
            ("unknown_device", "smart/v1/fire/nobody-404/telemetry", p.Payload(1, 1)),
            ("wrong_kind", "smart/v1/manhole/load-00001/telemetry", p.Payload(1, 1)),
            ("missing_field", fire, Json($"{{\"ts\":{now},\"smoke_pct_per_m\":0.01,\"co_ppm\":1.0}}")),
            ("bad_field", fire, Json($"{{\"ts\":{now},\"smoke_pct_per_m\":0.01,\"co_ppm\":1.0,\"temp_c\":\"hot\"}}")),
            ("ts_out_of_range", fire, Json($"{{\"ts\":{now + 3 * 86_400_000L},\"smoke_pct_per_m\":0.01,\"co_ppm\":1.0,\"temp_c\":22}}")),
            ("bad_topic", "smart/v1/toaster/load-00001/telemetry", p.Payload(1, 1)),
        ];
    }

    [Fact]
    public async Task Spool_full_while_InfluxDB_is_down_back_pressures_to_the_broker_and_nothing_is_dropped()
    {
        // A 256 KiB spool holds ~2 000 readings; small batches and 2 in flight keep what the host holds in memory small,
        // so the rest must stay queued in the broker (unacknowledged) until InfluxDB returns.
        await using var rig = new IngestRig(Devices, new Dictionary<string, string>
        {
            ["Bridge__SpoolMaxBytes"] = "262144", ["Bridge__InfluxBatchMaxBytes"] = "16384",
            ["Bridge__MaxBatchMessages"] = "200", ["Bridge__MaxBatchesInFlight"] = "2",
        });
        await rig.StartAsync();
        await using var publisher = new SteadyPublisher(rig.Broker.Url, Devices, 1000);
        await publisher.ConnectAsync(CancellationToken.None);
        await rig.Influx.StopAsync();

        // Far more than the spool (~2 000 readings) and what the host holds in memory (~400 + one MQTT window).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var publishing = publisher.RunAsync(stop.Token);
        await Eventually.UntilAsync(() => publisher.Acked >= 6000, TimeSpan.FromSeconds(60), "6 000 readings published");
        await stop.CancelAsync();
        await publishing;
        await Eventually.UntilAsync(async () => await rig.MetricAsync("smart_influx_spool_full_waits_total") > 0, TimeSpan.FromSeconds(60), "the spool to fill");
        var acknowledged = await rig.MetricAsync("smart_bridge_acknowledged_total");
        output.WriteLine($"published {publisher.Acked}, acknowledged by the bridge while the spool is full: {acknowledged}");
        Assert.True(acknowledged < publisher.Acked - 1000, $"the bridge must stop acknowledging when the spool is full ({acknowledged} of {publisher.Acked})");
        Assert.True(await rig.MetricAsync("smart_influx_spool_bytes") <= 262144);

        await rig.Influx.StartAsync();
        await AssertAllLandedAsync(rig, publisher);
        Assert.Equal(publisher.Acked, await rig.MetricAsync("smart_bridge_acknowledged_total"));
    }

    private async Task AssertAllLandedAsync(IngestRig rig, SteadyPublisher publisher)
    {
        var expected = publisher.Expected();
        output.WriteLine($"published (PUBACKed) {publisher.Acked} readings from {expected.Count} devices");
        Dictionary<string, (long Count, long SeqSum)> actual = [];
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                actual = await rig.PointsPerDeviceAsync();
                return expected.Count == actual.Count && expected.All(e => actual.TryGetValue(e.Key, out var a) && a == e.Value);
            }, TimeSpan.FromSeconds(90), "every published reading in InfluxDB exactly once", pollMs: 1000);
        }
        catch (TimeoutException)
        {
            var diff = expected.Where(e => actual.GetValueOrDefault(e.Key) != e.Value).Take(5)
                .Select(e => $"{e.Key}: published {e.Value}, in InfluxDB {actual.GetValueOrDefault(e.Key)}");
            output.WriteLine(string.Join('\n', diff) + "\n--- host output ---\n" + rig.HostOutput);
            throw;
        }
    }
}
