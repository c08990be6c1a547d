using System.Collections.Concurrent;
using System.Text;
using Smart.Influx.Query;
using Smart.Influx.Spool;
using Smart.Influx.Writing;
using Smart.Testing;

namespace Smart.Influx.Tests.Writing;

[Collection(SharedInflux.Name)]
public sealed class SpoolRecoveryTests(InfluxFixture influx) : IDisposable
{
    private readonly TempDirectory _spool = new();

    [Fact]
    public async Task Spool_left_by_a_crashed_process_with_a_torn_tail_is_replayed_at_the_next_start()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "rec", o =>
        {
            o.SpoolDirectory = _spool.Path;
            o.MaxAttempts = 1;
        });
        var t = InfluxTestDatabase.NowMs();
        var down = new InfluxOptions { Url = new Uri($"http://127.0.0.1:{Ports.Free()}"), Database = o.Database, SpoolDirectory = _spool.Path, MaxAttempts = 1 };
        await using (var crashed = new InfluxWriter(down))
        {
            for (var b = 0; b < 3; b++) await crashed.WriteAsync(Encoding.UTF8.GetBytes($"m v={b}i {t + b}\nm v={b + 10}i {t + b + 10}\n"));
            Assert.Equal(3, crashed.Metrics.Snapshot().BatchesSpooled);
        }
        var segment = Directory.GetFiles(_spool.Path, "*.spool").Order(StringComparer.Ordinal).Last(); // the one being appended to
        var torn = new byte[SpoolFrame.HeaderBytes + 3];
        SpoolFrame.WriteHeader(torn, "m v=99i 1\n"u8);
        await using (var f = new FileStream(segment, FileMode.Append)) f.Write(torn);

        var events = new ConcurrentQueue<InfluxWriterEvent>();
        await using var restarted = new InfluxWriter(o, events.Enqueue);
        await Eventually.UntilAsync(() => !restarted.IsSpooling, TimeSpan.FromSeconds(20), "spool replayed");
        using var q = new InfluxQueryClient(o);
        Assert.Equal(6, await InfluxTestDatabase.CountAsync(q, "m", "v"));
        Assert.Contains(events, e => e.Kind == InfluxWriterEventKind.SpoolCorrupt);
        Assert.Contains(events, e => e.Kind == InfluxWriterEventKind.SpoolDrained);
        // The points' times are reported although this process did not spool them (for rollups computed before they landed).
        var replayed = events.Where(e => e.Kind == InfluxWriterEventKind.Replayed).ToList();
        Assert.Equal((t, t + 12), (replayed.Min(e => e.FromMs), replayed.Max(e => e.ToMs)));
        Assert.Equal(3, restarted.Metrics.Snapshot().BatchesReplayed);
        Assert.Empty(Directory.GetFiles(_spool.Path, "*.spool"));
    }

    public void Dispose() => _spool.Dispose();
}
