using System.Diagnostics;
using FirmwareSim.Transport;
using Smart.Core;

namespace FirmwareSim.Modes;

/// <summary>
/// Publishes telemetry for <see cref="LoadOptions.Devices"/> over <see cref="LoadOptions.Connections"/> connections at a
/// target total rate, for an exact count or a duration. QoS 1 keeps a window of unacknowledged publishes per connection
/// (waiting for each PUBACK would measure round trips, not throughput).
/// </summary>
internal sealed class LoadRunner(LoadOptions options, IMqttLinkFactory factory)
{
    private long _sent, _acked, _errors;
    private readonly Stopwatch _clock = new();

    public long Sent => Interlocked.Read(ref _sent);
    public long Acked => Interlocked.Read(ref _acked);
    public long Errors => Interlocked.Read(ref _errors);
    public TimeSpan Elapsed => _clock.Elapsed;
    public string? LastError { get; private set; }

    public async Task<LoadReport> RunAsync(CancellationToken ct = default)
    {
        if (options.Devices.Count == 0) throw new ArgumentException("A load run needs at least one device.");
        var connections = Math.Clamp(options.Connections, 1, options.Devices.Count);
        var links = new IMqttLink[connections];
        try
        {
            for (var c = 0; c < connections; c++)
            {
                links[c] = factory.Create(new LinkOptions(options.BrokerUrl, $"sim-load-{options.Seed}-{c}-{Environment.ProcessId}",
                    options.Username, options.Password, MaxInflight: options.Window));
                await links[c].ConnectAsync(ct).ConfigureAwait(false);
            }
            _clock.Start();
            await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(() => RunConnectionAsync(links[c], c, connections, ct), ct))).ConfigureAwait(false);
            _clock.Stop();
        }
        finally
        {
            foreach (var link in links.Where(l => l is not null))
            {
                try { await link.DisconnectAsync(CancellationToken.None).ConfigureAwait(false); }
                catch (MqttLinkException) { }
                await link.DisposeAsync().ConfigureAwait(false);
            }
        }
        return new LoadReport(Sent, Acked, Errors, _clock.Elapsed, options.Rate, options.AtLeastOnce);
    }

    private async Task RunConnectionAsync(IMqttLink link, int c, int connections, CancellationToken ct)
    {
        var devices = options.Devices.Where((_, i) => i % connections == c).ToArray();
        var topics = devices.Select(d => d.Topic(TopicChannel.Telemetry)).ToArray();
        var seq = new long[devices.Length];
        long quota = options.Count > 0 ? options.Count / connections + (c < options.Count % connections ? 1 : 0) : long.MaxValue;
        var ratePerConnection = options.Rate > 0 ? options.Rate / connections : 0;
        var rng = Engine.StableRandom.For(options.Seed, c, 0x10AD);
        var pending = new Queue<Task>();
        var window = Math.Max(1, options.Window);
        var startTs = Stopwatch.GetTimestamp();
        var baseTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (long k = 0, d = 0; k < quota; k++, d = (d + 1) % devices.Length)
        {
            var elapsed = Stopwatch.GetElapsedTime(startTs);
            if (options.Count == 0 && elapsed >= options.Duration) break;
            if (ratePerConnection > 0 && k > ratePerConnection * elapsed.TotalSeconds)
                await Task.Delay(TimeSpan.FromSeconds((k - ratePerConnection * elapsed.TotalSeconds) / ratePerConnection), ct).ConfigureAwait(false);
            var payload = LoadPayloads.Build(devices[d].Kind, baseTs + (long)elapsed.TotalMilliseconds, ++seq[d], rng.NextDouble() * 2 - 1);
            var task = link.PublishAsync(topics[d], payload, options.AtLeastOnce, retain: false, ct);
            Interlocked.Increment(ref _sent);
            if (task.IsCompletedSuccessfully) Interlocked.Increment(ref _acked);
            else pending.Enqueue(task);
            while (pending.Count >= window || (pending.Count > 0 && pending.Peek().IsCompleted))
                await CompleteAsync(pending.Dequeue()).ConfigureAwait(false);
        }
        while (pending.Count > 0) await CompleteAsync(pending.Dequeue()).ConfigureAwait(false);
    }

    private async Task CompleteAsync(Task publish)
    {
        try
        {
            await publish.ConfigureAwait(false);
            Interlocked.Increment(ref _acked);
        }
        catch (MqttLinkException e)
        {
            Interlocked.Increment(ref _errors);
            LastError = e.Message;
        }
    }
}
