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
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
        var node = MqttJsRunner.Locate();
        await node.EnsureInstalledAsync();
        var broker = new MosquittoFixture { Persistence = false };
        broker.ExtraConfig.Add("queue_qos0_messages true"); // QoS 0 is queued for the offline session too
        await broker.InitializeAsync();
        try
        {
            var bench = new MqttThroughput(broker, count);
            var samples = new Dictionary<string, List<double>>();
            void Add(string key, double value) => (samples.TryGetValue(key, out var l) ? l : samples[key] = []).Add(value);
            // Rounds interleave the clients so a burst of load from other processes hits both alike; the median is reported.
            for (var round = 1; round <= rounds; round++)
            {
                Console.WriteLine($"round {round}/{rounds}: {count} messages of 100 B per measurement");
                foreach (var qos in new[] { MqttQos.AtMostOnce, MqttQos.AtLeastOnce })
                {
                    var key = $"recv_qos{(int)qos}_msgs_per_s";
                    Add(key, Show(key, await bench.OursReceiveAsync(qos)));
                    Add(Cpu(key), bench.LastCpuMicrosPerMessage);
                    Add("mqttjs_" + key, Show("mqttjs_" + key, await bench.MqttJsReceiveAsync(node, qos)));
                    Add("mqttjs_" + Cpu(key), node.LastCpuMicrosPerMessage);
                    Add("mosquitto_sub_" + key, Show("mosquitto_sub_" + key, await bench.MosquittoSubReceiveAsync(qos)));
                }
                foreach (var qos in new[] { MqttQos.AtMostOnce, MqttQos.AtLeastOnce })
                {
                    var key = $"pub_qos{(int)qos}_msgs_per_s";
                    Add(key, Show(key, await bench.OursPublishAsync(qos)));
                    Add(Cpu(key), bench.LastCpuMicrosPerMessage);
                    Add("mqttjs_" + key, Show("mqttjs_" + key, await node.PublishAsync(broker.Port, qos, count)));
                    Add("mqttjs_" + Cpu(key), node.LastCpuMicrosPerMessage);
                }
            }
            var result = new BenchResult(Name);
            foreach (var (key, values) in samples) result.Add(key, Median(values));
            foreach (var (key, values) in samples.Where(kv => !kv.Key.StartsWith("mqttjs_") && !kv.Key.StartsWith("mosquitto_") && !kv.Key.EndsWith("_per_msg")))
                Console.WriteLine($"  median {key,-24} {Median(values),10:N0}  vs MQTT.js {Median(samples["mqttjs_" + key]),10:N0}  = {Median(values) / Median(samples["mqttjs_" + key]):0.0}x");
            return result;
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    /// <summary>recv_qos1_msgs_per_s → recv_qos1_cpu_us_per_msg.</summary>
    private static string Cpu(string key) => key.Replace("_msgs_per_s", "_cpu_us_per_msg");

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double Show(string key, double value)
    {
        Console.WriteLine($"  {key,-40} {value,12:N0}");
        return value;
    }
}

/// <summary>The Smart.Mqtt measurements and the session preparation both clients share.</summary>
internal sealed class MqttThroughput(MosquittoFixture broker, int count)
{
    private static readonly byte[] Payload = Enumerable.Repeat((byte)'a', 100).ToArray();

    /// <summary>Process CPU microseconds per message of the last Smart.Mqtt measurement.</summary>
    public double LastCpuMicrosPerMessage { get; private set; }

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
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var received = 0;
        await foreach (var m in client.Messages.ReadAllAsync(cts.Token))
        {
            await client.AcknowledgeAsync(m, cts.Token);
            if (++received == count) break;
        }
        var elapsed = sw.Elapsed;
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
        Console.WriteLine($"    (Smart.Mqtt CPU {cpuUs:0.00} µs per message, {cpuUs * count / elapsed.TotalMicroseconds:P0} of one core)");
        LastCpuMicrosPerMessage = cpuUs;
        return count / elapsed.TotalSeconds;
    }

    public async Task<double> MqttJsReceiveAsync(MqttJsRunner node, MqttQos qos)
    {
        var (clientId, topic) = ($"bench-mqttjs-q{(int)qos}", $"bench/mqttjs/q{(int)qos}");
        await PrepareQueueAsync(clientId, topic, qos);
        return await node.ReceiveAsync(broker.Port, qos, count, clientId, topic);
    }

    /// <summary>Reference: mosquitto's own C client draining the same queue (the fastest client the broker can feed).</summary>
    public async Task<double> MosquittoSubReceiveAsync(MqttQos qos)
    {
        var (clientId, topic) = ($"bench-mosquitto-sub-q{(int)qos}", $"bench/mosquitto-sub/q{(int)qos}");
        await PrepareQueueAsync(clientId, topic, qos);
        var sw = Stopwatch.StartNew();
        var psi = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec mosquitto_sub -h 127.0.0.1 -p {broker.Port} -V mqttv311 -c -i {clientId} -q {(int)qos} -t {topic} -C {count} > /dev/null" },
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"mosquitto_sub failed: {await process.StandardError.ReadToEndAsync()}");
        return count / sw.Elapsed.TotalSeconds;
    }

    public async Task<double> OursPublishAsync(MqttQos qos)
    {
        await using var client = new MqttClient(Options());
        await client.ConnectAsync();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await PublishAllAsync(client, $"bench/pub/q{(int)qos}", qos);
        var elapsed = sw.Elapsed;
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
        Console.WriteLine($"    (Smart.Mqtt CPU {cpuUs:0.00} µs per message, {cpuUs * count / elapsed.TotalMicroseconds:P0} of one core)");
        LastCpuMicrosPerMessage = cpuUs;
        return count / elapsed.TotalSeconds;
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
