using System.Globalization;
using FirmwareSim.Modes;
using FirmwareSim.Transport;
using Smart.Testing;

namespace Smart.Benchmarks;

/// <summary>
/// <c>./smart bench sim [--devices 10000] [--seconds 10] [--connections 4]</c>: how fast firmware-sim's load mode
/// publishes to a local mosquitto, QoS 0 then QoS 1 (target ≥ 100 000 and ≥ 50 000 msgs/s, so the simulator is never
/// the bottleneck of the ingest benchmark).
/// </summary>
public sealed class SimBenchmark : IBenchmark
{
    public string Name => "sim";

    public async Task<BenchResult> RunAsync(string[] args)
    {
        var devices = Arg(args, "--devices", 10_000);
        var seconds = Arg(args, "--seconds", 10);
        var connections = Arg(args, "--connections", 4);
        await using var broker = new BenchMosquitto();
        await broker.InitializeAsync();
        var result = new BenchResult(Name);
        foreach (var qos1 in new[] { false, true })
        {
            var options = new LoadOptions
            {
                BrokerUrl = broker.Url, Devices = LoadPayloads.Devices(FirmwareSim.Registry.DeviceRegistry.Demo(), devices),
                Connections = connections, Duration = TimeSpan.FromSeconds(seconds), AtLeastOnce = qos1,
            };
            var report = await new LoadRunner(options, new SmartMqttLinkFactory()).RunAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sim QoS {(qos1 ? 1 : 0)}: {report.Acked:N0} msgs in {report.Elapsed.TotalSeconds:F1} s = {report.MessagesPerSecond:N0} msgs/s, errors {report.Errors} ({devices} devices over {connections} connections)"));
            if (report.Errors > 0) throw new InvalidOperationException($"sim benchmark: {report.Errors} publish errors at QoS {(qos1 ? 1 : 0)}");
            result.Add(qos1 ? "pub_qos1_msgs_per_s" : "pub_qos0_msgs_per_s", report.MessagesPerSecond);
        }
        // The generator's own ceiling (payloads, pacing, bookkeeping) with a link that discards: shows how much of the
        // budget above is the simulator and how much the MQTT client and broker.
        var ceiling = await new LoadRunner(new LoadOptions
        {
            Devices = LoadPayloads.Devices(FirmwareSim.Registry.DeviceRegistry.Demo(), devices), Connections = connections,
            Duration = TimeSpan.FromSeconds(Math.Min(seconds, 3)),
        }, new DiscardingLinkFactory()).RunAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sim generator alone: {ceiling.MessagesPerSecond:N0} msgs/s"));
        result.Add("gen_msgs_per_s", ceiling.MessagesPerSecond);
        return result;
    }

    private sealed class DiscardingLinkFactory : IMqttLinkFactory
    {
        public IMqttLink Create(LinkOptions options) => new DiscardingLink();
    }

    private sealed class DiscardingLink : IMqttLink
    {
        private readonly System.Threading.Channels.Channel<LinkMessage> _none = System.Threading.Channels.Channel.CreateUnbounded<LinkMessage>();
        public bool IsConnected => true;
        public System.Threading.Channels.ChannelReader<LinkMessage> Incoming => _none.Reader;
        public Task ConnectAsync(CancellationToken ct) => Task.CompletedTask;
        public Task SubscribeAsync(string topicFilter, CancellationToken ct) => Task.CompletedTask;
        public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool atLeastOnce, bool retain, CancellationToken ct) => Task.CompletedTask;
        public Task DisconnectAsync(CancellationToken ct) => Task.CompletedTask;
        public ValueTask AbortAsync() => ValueTask.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>The test fixture's mosquitto as a disposable for a console run.</summary>
    private sealed class BenchMosquitto : MosquittoFixture, IAsyncDisposable
    {
        ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
    }
}
