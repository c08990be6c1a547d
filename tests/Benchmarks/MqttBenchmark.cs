using System.Diagnostics;
using Smart.Mqtt;
using Smart.Testing;

namespace Smart.Benchmarks;

/// <summary><c>./smart bench mqtt [COUNT]</c>: receive and publish throughput of Smart.Mqtt and MQTT.js, side by side,
/// on one mosquitto on loopback, 100-byte payloads, MQTT 3.1.1 (MQTT.js's default). Receive = draining COUNT messages
/// queued for a persistent session (so the publisher's speed does not limit it), manual ack per QoS 1 message;
/// publish = COUNT messages, QoS 1 through the in-flight window, timed until the last PUBACK (QoS 0: until a
/// QoS 1 barrier published after them is acknowledged).</summary>
public sealed class MqttBenchmark : IBenchmark
{
    public string Name => "mqtt";

    public async Task<BenchResult> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 200_000;
        var node = MqttJsRunner.Locate();
        await node.EnsureInstalledAsync();
        var broker = new MosquittoFixture { Persistence = false };
        broker.ExtraConfig.Add("queue_qos0_messages true"); // QoS 0 is queued for the offline session too
        await broker.InitializeAsync();
        try
        {
            var result = new BenchResult(Name);
            var bench = new MqttThroughput(broker, count);
            foreach (var qos in new[] { MqttQos.AtMostOnce, MqttQos.AtLeastOnce })
            {
                var key = $"recv_qos{(int)qos}_msgs_per_s";
                Report(result, key, await bench.OursReceiveAsync(qos));
                Report(result, "mqttjs_" + key, await bench.MqttJsReceiveAsync(node, qos));
            }
            foreach (var qos in new[] { MqttQos.AtMostOnce, MqttQos.AtLeastOnce })
            {
                var key = $"pub_qos{(int)qos}_msgs_per_s";
                Report(result, key, await bench.OursPublishAsync(qos));
                Report(result, "mqttjs_" + key, await node.PublishAsync(broker.Port, qos, count));
            }
            return result;
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    private static void Report(BenchResult result, string key, double value)
    {
        Console.WriteLine($"  {key,-32} {value,12:N0}");
        result.Add(key, value);
    }
}

/// <summary>The Smart.Mqtt measurements and the session preparation both clients share.</summary>
internal sealed class MqttThroughput(MosquittoFixture broker, int count)
{
    private static readonly byte[] Payload = Enumerable.Repeat((byte)'a', 100).ToArray();

    private MqttClientOptions Options(string clientId = "", bool clean = true) => new()
    {
        Port = broker.Port, ClientId = clientId, CleanStart = clean, ProtocolVersion = MqttProtocolVersion.V311,
        KeepAlive = TimeSpan.FromSeconds(60),
    };

    /// <summary>Creates a persistent session subscribed to <paramref name="topic"/> and queues COUNT messages for it.</summary>
    public async Task PrepareQueueAsync(string clientId, string topic, MqttQos qos)
    {
        await using (var session = new MqttClient(Options(clientId, clean: false)))
        {
            await session.ConnectAsync();
            await session.SubscribeAsync(topic, qos);
            await session.DisconnectAsync();
        }
        await using var filler = new MqttClient(Options());
        await filler.ConnectAsync();
        await PublishAllAsync(filler, topic, qos);
    }

    public async Task<double> OursReceiveAsync(MqttQos qos)
    {
        var (clientId, topic) = ($"bench-ours-q{(int)qos}", $"bench/ours/q{(int)qos}");
        await PrepareQueueAsync(clientId, topic, qos);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var sw = Stopwatch.StartNew();
        await using var client = new MqttClient(Options(clientId, clean: false));
        await client.ConnectAsync(cts.Token);
        var received = 0;
        await foreach (var m in client.Messages.ReadAllAsync(cts.Token))
        {
            await client.AcknowledgeAsync(m, cts.Token);
            if (++received == count) break;
        }
        return count / sw.Elapsed.TotalSeconds;
    }

    public async Task<double> MqttJsReceiveAsync(MqttJsRunner node, MqttQos qos)
    {
        var (clientId, topic) = ($"bench-mqttjs-q{(int)qos}", $"bench/mqttjs/q{(int)qos}");
        await PrepareQueueAsync(clientId, topic, qos);
        return await node.ReceiveAsync(broker.Port, qos, count, clientId, topic);
    }

    public async Task<double> OursPublishAsync(MqttQos qos)
    {
        await using var client = new MqttClient(Options());
        await client.ConnectAsync();
        var sw = Stopwatch.StartNew();
        await PublishAllAsync(client, $"bench/pub/q{(int)qos}", qos);
        return count / sw.Elapsed.TotalSeconds;
    }

    /// <summary>QoS 1: keeps up to 2000 publishes outstanding (the client's window sends 1000); QoS 0: then a QoS 1 barrier.</summary>
    private async Task PublishAllAsync(MqttClient client, string topic, MqttQos qos)
    {
        if (qos == MqttQos.AtMostOnce)
        {
            for (var i = 0; i < count; i++) await client.PublishAsync(topic, Payload);
            await client.PublishAsync("bench/barrier", Payload, MqttQos.AtLeastOnce);
            return;
        }
        var ring = new Task[2000];
        for (var i = 0; i < count; i++)
        {
            if (ring[i % ring.Length] is { } previous) await previous;
            ring[i % ring.Length] = client.PublishAsync(topic, Payload, qos);
        }
        await Task.WhenAll(ring.Where(t => t is not null));
    }
}
