using System.Collections.Concurrent;
using System.Text;
using Smart.Influx.LineProtocol;
using Smart.Influx.Query;
using Smart.Influx.Writing;
using Smart.Testing;

namespace Smart.Influx.Tests.Writing;

[Collection(SharedInflux.Name)]
public sealed class InfluxWriterTests(InfluxFixture influx)
{
    [Fact]
    public async Task Write_completes_when_influxdb_accepted_every_point_and_counts_them()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "w", o => o.BatchMaxBytes = 4096);
        var t = InfluxTestDatabase.NowMs();
        using var lp = new LineProtocolWriter();
        for (var i = 0; i < 1000; i++) lp.Measurement("fire").Tag("device", $"fd-{i % 10}").Field("temp_c", 20 + i / 100.0).Timestamp(t + i);
        await using var writer = new InfluxWriter(o);
        await writer.WriteAsync(lp.WrittenMemory);
        using var q = new InfluxQueryClient(o);
        Assert.Equal(1000, await InfluxTestDatabase.CountAsync(q, "fire", "temp_c"));
        var m = writer.Metrics.Snapshot();
        Assert.Equal(1000, m.PointsWritten);
        Assert.True(m.BatchesWritten > 1, $"4 KiB batches must split ~40 KiB, got {m.BatchesWritten}");
        Assert.Equal(0, m.BatchesSpooled);
    }

    [Fact]
    public async Task Gzip_bodies_are_accepted()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "w", o => o.Gzip = true);
        var t = InfluxTestDatabase.NowMs();
        using var lp = new LineProtocolWriter();
        for (var i = 0; i < 500; i++) lp.Measurement("charger").Tag("device", "c1").Tag("port", "3").Field("power_w", i * 1.5).Timestamp(t + i);
        await using var writer = new InfluxWriter(o);
        await writer.WriteAsync(lp.WrittenMemory);
        using var q = new InfluxQueryClient(o);
        Assert.Equal(500, await InfluxTestDatabase.CountAsync(q, "charger", "power_w"));
    }

    [Fact]
    public async Task Partial_write_keeps_good_points_reports_dropped_and_the_pipeline_continues()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "w");
        var events = new ConcurrentQueue<InfluxWriterEvent>();
        await using var writer = new InfluxWriter(o, events.Enqueue);
        var t = InfluxTestDatabase.NowMs();
        await writer.WriteAsync(Encoding.UTF8.GetBytes($"m v=1 {t}\n"));
        // v is a float now: a string v is a field type conflict, which influxd answers with 400 "partial write ... dropped=1".
        await writer.WriteAsync(Encoding.UTF8.GetBytes($"m v=2 {t + 1}\nm v=\"bad\" {t + 2}\nm v=3 {t + 3}\n"));
        await writer.WriteAsync(Encoding.UTF8.GetBytes($"m v=4 {t + 4}\n"));
        using var q = new InfluxQueryClient(o);
        Assert.Equal(4, await InfluxTestDatabase.CountAsync(q, "m", "v"));
        var dropped = Assert.Single(events, e => e.Kind == InfluxWriterEventKind.PointsDropped);
        Assert.Equal(1, dropped.Dropped);
        Assert.Contains("field type conflict", dropped.Message);
        var m = writer.Metrics.Snapshot();
        Assert.Equal(1, m.PointsDroppedByServer);
        Assert.Equal(1, m.PartialWrites);
        Assert.Equal(4, m.PointsWritten);
    }

    [Fact]
    public async Task Unparseable_line_is_dropped_by_influxdb_and_the_good_lines_land()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "w");
        var events = new ConcurrentQueue<InfluxWriterEvent>();
        await using var writer = new InfluxWriter(o, events.Enqueue);
        var t = InfluxTestDatabase.NowMs();
        // influxd 1.6.7 answers "partial write: unable to parse '...': missing field value dropped=0": it drops the
        // line but counts 0, so the event carries the server's text for the dead-letter store.
        await writer.WriteAsync(Encoding.UTF8.GetBytes($"m v=1 {t}\nm v= {t + 1}\nm v=3 {t + 2}\n"));
        using var q = new InfluxQueryClient(o);
        Assert.Equal(2, await InfluxTestDatabase.CountAsync(q, "m", "v"));
        var e = Assert.Single(events, e => e.Kind == InfluxWriterEventKind.PointsDropped);
        Assert.Contains("unable to parse", e.Message);
    }

    [Fact]
    public async Task Batch_rejected_as_a_whole_is_split_so_good_points_land_and_the_bad_line_is_reported()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "w");
        var events = new ConcurrentQueue<InfluxWriterEvent>();
        await using var writer = new InfluxWriter(o, events.Enqueue);
        var t = InfluxTestDatabase.NowMs();
        // The first write into a fresh database with a type conflict inside the batch: influxd 1.6.7 answers
        // 400 {"error":"field type conflict"} (no "partial write") and stores nothing.
        var lines = new StringBuilder();
        for (var i = 0; i < 9; i++) lines.Append(i == 4 ? $"m v=\"s\" {t + i}\n" : $"m v={i} {t + i}\n");
        await writer.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()));
        using var q = new InfluxQueryClient(o);
        Assert.Equal(8, await InfluxTestDatabase.CountAsync(q, "m", "v"));
        var rejected = events.Where(e => e.Kind is InfluxWriterEventKind.LineRejected or InfluxWriterEventKind.PointsDropped).ToList();
        Assert.Single(rejected);
        Assert.Equal(1, writer.Metrics.Snapshot().PointsDroppedByServer);
    }

    [Fact]
    public async Task Missing_database_is_reported_as_misconfiguration_not_dropped()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "w");
        o.Database = o.Database + "_missing";
        o.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
        var events = new ConcurrentQueue<InfluxWriterEvent>();
        await using var writer = new InfluxWriter(o, events.Enqueue);
        var t = InfluxTestDatabase.NowMs();
        var write = writer.WriteAsync(Encoding.UTF8.GetBytes($"m v=1 {t}\n"));
        await Eventually.UntilAsync(() => events.Any(e => e.Kind == InfluxWriterEventKind.Misconfigured), TimeSpan.FromSeconds(10), "Misconfigured event");
        Assert.False(write.IsCompleted, "without a spool the write must wait, not drop");
        Assert.Contains("database not found", events.First(e => e.Kind == InfluxWriterEventKind.Misconfigured).Message);
        await influx.QueryAsync($"CREATE DATABASE \"{o.Database}\"", method: HttpMethod.Post);
        await write.WaitAsync(TimeSpan.FromSeconds(15));
        using var q = new InfluxQueryClient(o);
        Assert.Equal(1, await InfluxTestDatabase.CountAsync(q, "m", "v"));
    }
}
