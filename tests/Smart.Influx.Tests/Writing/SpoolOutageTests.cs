using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Smart.Influx.Query;
using Smart.Influx.Writing;
using Smart.Testing;
using Xunit.Abstractions;

namespace Smart.Influx.Tests.Writing;

/// <summary>Tests that stop and kill their own influxd (not the shared one).</summary>
public sealed class SpoolOutageTests(InfluxFixture influx, ITestOutputHelper output) : IClassFixture<InfluxFixture>, IDisposable
{
    private readonly TempDirectory _spool = new();
    private readonly ConcurrentQueue<InfluxWriterEvent> _events = new();

    private InfluxOptions Options(Action<InfluxOptions>? configure = null)
    {
        var o = new InfluxOptions
        {
            Url = new Uri(influx.Url), Database = influx.Database, SpoolDirectory = _spool.Path,
            RequestTimeout = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(o);
        return o;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    private static byte[] Batch(string measurement, long firstTime, int points)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < points; i++) sb.Append($"{measurement},device=d{i % 5} v={firstTime + i}i {firstTime + i}\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task Influxdb_killed_mid_stream_and_restarted_every_point_lands_exactly_once()
    {
        const int PointsPerBatch = 50;
        await using var writer = new InfluxWriter(Options(), _events.Enqueue);
        var t0 = InfluxTestDatabase.NowMs() - 600_000;
        var written = 0;
        var slowestTicks = 0L;
        using var stop = new CancellationTokenSource();
        // Two producers like the bridge's write stages, each with its own time range so every point is distinct.
        var producers = Enumerable.Range(0, 2).Select(p => Task.Run(async () =>
        {
            for (var own = 0L; !stop.IsCancellationRequested; own += PointsPerBatch)
            {
                var sw = Stopwatch.StartNew();
                await writer.WriteAsync(Batch("stream", t0 + p * 100_000_000L + own, PointsPerBatch));
                InterlockedMax(ref slowestTicks, sw.Elapsed.Ticks);
                Interlocked.Add(ref written, PointsPerBatch);
                await Task.Delay(10);
            }
        })).ToArray();
        await Eventually.UntilAsync(() => Volatile.Read(ref written) >= 2_000, TimeSpan.FromSeconds(20), "steady stream before the outage");
        influx.Kill();
        await Eventually.UntilAsync(() => writer.IsSpooling, TimeSpan.FromSeconds(10), "writer switches to the spool");
        var atOutage = Volatile.Read(ref written);
        var outage = Stopwatch.StartNew();
        // A 5 s outage here; the 60 s one is the host-level test's.
        await Eventually.UntilAsync(() => outage.Elapsed >= TimeSpan.FromSeconds(5) && Volatile.Read(ref written) >= atOutage + 5_000,
            TimeSpan.FromSeconds(30), "writes keep completing into the spool for 5 s");
        await influx.StartAsync();
        var atRestart = Volatile.Read(ref written);
        await Eventually.UntilAsync(() => Volatile.Read(ref written) >= atRestart + 2_000, TimeSpan.FromSeconds(30), "stream continues after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(producers);
        var slowest = TimeSpan.FromTicks(slowestTicks);
        await Eventually.UntilAsync(() => !writer.IsSpooling, TimeSpan.FromSeconds(30), "spool drained");

        using var q = new InfluxQueryClient(Options());
        var count = await InfluxTestDatabase.CountAsync(q, "stream", "v");
        var m = writer.Metrics.Snapshot();
        output.WriteLine($"written={written} landed={count} slowest write={slowest.TotalMilliseconds:0} ms {m}");
        Assert.Equal(written, count);
        Assert.True(slowest < TimeSpan.FromSeconds(3), $"a write must become durable quickly during the outage, slowest took {slowest}");
        Assert.True(m.BatchesSpooled > 0);
        Assert.Equal(m.BatchesSpooled, m.BatchesReplayed);
        Assert.Contains(_events, e => e.Kind == InfluxWriterEventKind.SpoolStarted);
        Assert.Contains(_events, e => e.Kind == InfluxWriterEventKind.SpoolDrained);
        Assert.Empty(Directory.GetFiles(_spool.Path, "*.spool"));
    }

    [Fact]
    public async Task Full_spool_makes_writers_wait_and_drops_nothing()
    {
        await using var writer = new InfluxWriter(Options(o => { o.BatchMaxBytes = 2048; o.SpoolMaxBytes = 4 * 2048; }), _events.Enqueue);
        await influx.StopAsync();
        var t0 = InfluxTestDatabase.NowMs() - 300_000;
        var sent = 0;
        Task? blocked = null;
        for (var i = 0; i < 50 && blocked is null; i++)
        {
            var write = writer.WriteAsync(Batch("full", t0 + sent, 20)); // ~600 bytes
            sent += 20;
            if (await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(3))) != write) blocked = write;
        }
        Assert.NotNull(blocked);
        Assert.Contains(_events, e => e.Kind == InfluxWriterEventKind.SpoolFull);
        Assert.True(writer.Metrics.Snapshot().SpoolBytesOnDisk <= 4 * 2048, "the spool stays within SpoolMaxBytes");
        Assert.False(blocked.IsCompleted, "a write into a full spool waits");

        await influx.StartAsync();
        await blocked.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => !writer.IsSpooling, TimeSpan.FromSeconds(30), "spool drained");
        using var q = new InfluxQueryClient(Options());
        Assert.Equal(sent, await InfluxTestDatabase.CountAsync(q, "full", "v"));
        Assert.True(writer.Metrics.Snapshot().SpoolFullWaits > 0);
    }

    [Fact]
    public async Task Hung_influxdb_times_out_once_and_writes_go_to_the_spool_without_holding_the_caller()
    {
        await using var writer = new InfluxWriter(Options(o => o.RequestTimeout = TimeSpan.FromSeconds(1)), _events.Enqueue);
        var t0 = InfluxTestDatabase.NowMs() - 120_000;
        influx.Pause();
        try
        {
            var first = Stopwatch.StartNew();
            await writer.WriteAsync(Batch("hung", t0, 100));
            Assert.True(first.Elapsed < TimeSpan.FromSeconds(3), $"one timeout, then the spool; took {first.Elapsed}");
            Assert.True(writer.IsSpooling);
            var next = Stopwatch.StartNew();
            for (var i = 1; i < 10; i++) await writer.WriteAsync(Batch("hung", t0 + i * 100, 100));
            Assert.True(next.Elapsed < TimeSpan.FromSeconds(2), $"while spooling, writes skip the hung server; took {next.Elapsed}");
        }
        finally
        {
            influx.Resume();
        }
        await Eventually.UntilAsync(() => !writer.IsSpooling, TimeSpan.FromSeconds(30), "spool drained after SIGCONT");
        using var q = new InfluxQueryClient(Options());
        Assert.Equal(1000, await InfluxTestDatabase.CountAsync(q, "hung", "v"));
    }

    public void Dispose() => _spool.Dispose();
}
