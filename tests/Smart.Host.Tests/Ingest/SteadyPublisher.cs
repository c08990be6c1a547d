using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Smart.Mqtt;

namespace Smart.Host.Tests.Ingest;

/// <summary>
/// Publishes valid fire telemetry for devices <c>load-00000…</c> round-robin at a steady rate, QoS 1, with a window of
/// unacknowledged publishes. Each device's seq is contiguous from 1 and its <c>ts</c> = start + seq ms, so every reading
/// is a distinct point. Only PUBACKed messages count as published.
/// </summary>
public sealed class SteadyPublisher(string brokerUrl, int devices, double ratePerSecond) : IAsyncDisposable
{
    private readonly MqttClient _client = new(Options(brokerUrl));
    private readonly long[] _seq = new long[devices];
    private readonly ConcurrentDictionary<int, long> _ackedSeqSum = new();
    private readonly long _baseTs = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds();
    private long _acked;
    private long _failed;

    public long Acked => Interlocked.Read(ref _acked);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>PUBACKed readings per device id: (count, sum of seq).</summary>
    public Dictionary<string, (long Count, long SeqSum)> Expected()
    {
        var result = new Dictionary<string, (long, long)>();
        for (var i = 0; i < devices; i++)
            if (_ackedSeqSum.TryGetValue(i, out var sum)) result[DeviceId(i)] = (_counts[i], sum);
        return result;
    }

    private readonly long[] _counts = new long[devices];

    public static string DeviceId(int i) => $"load-{i:D5}";

    public byte[] Payload(int device, long seq) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{{\"ts\":{_baseTs + seq},\"seq\":{seq},\"smoke_pct_per_m\":0.01,\"co_ppm\":1.0,\"temp_c\":{22 + (seq % 10) / 10.0}}}"));

    public Task ConnectAsync(CancellationToken ct) => _client.ConnectAsync(ct);

    /// <summary>Publishes until <paramref name="ct"/> fires; returns once every publish started has been answered.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var window = new SemaphoreSlim(200);
        var started = System.Diagnostics.Stopwatch.StartNew();
        long sent = 0;
        var tasks = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var due = (long)(started.Elapsed.TotalSeconds * ratePerSecond);
                if (sent >= due) { await Task.Delay(5, ct); continue; }
                await window.WaitAsync(ct);
                var device = (int)(sent++ % devices);
                var seq = ++_seq[device];
                tasks.Add(PublishOneAsync(device, seq, window));
                if (tasks.Count > 10_000) tasks.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        await Task.WhenAll(tasks);
    }

    public Task PublishRawAsync(string topic, byte[] payload) => _client.PublishAsync(topic, payload, MqttQos.AtLeastOnce);

    private async Task PublishOneAsync(int device, long seq, SemaphoreSlim window)
    {
        try
        {
            await _client.PublishAsync($"smart/v1/fire/{DeviceId(device)}/telemetry", Payload(device, seq), MqttQos.AtLeastOnce);
            lock (_counts)
            {
                _counts[device]++;
                _ackedSeqSum.AddOrUpdate(device, seq, (_, s) => s + seq);
            }
            Interlocked.Increment(ref _acked);
        }
        catch (MqttException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally { window.Release(); }
    }

    private static MqttClientOptions Options(string url)
    {
        var o = MqttClientOptions.FromUrl(url);
        o.ClientId = "ingest-publisher-" + Guid.NewGuid().ToString("N")[..8];
        return o;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync(CancellationToken.None);
        await _client.DisposeAsync();
    }
}
