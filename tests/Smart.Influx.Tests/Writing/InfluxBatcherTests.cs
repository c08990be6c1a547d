using System.Diagnostics;
using Smart.Influx.Query;
using Smart.Influx.Writing;
using Smart.Testing;

namespace Smart.Influx.Tests.Writing;

[Collection(SharedInflux.Name)]
public sealed class InfluxBatcherTests(InfluxFixture influx)
{
    private readonly record struct Reading(string Device, double TempC, long Ts);

    private static Task Add(InfluxBatcher b, Reading r) =>
        b.Add(r, static (lp, r) => lp.Measurement("fire").Tag("device"u8, r.Device).Field("temp_c"u8, r.TempC).Timestamp(r.Ts));

    [Fact]
    public async Task Full_batches_are_written_at_once_and_share_one_durability_task()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "b");
        await using var writer = new InfluxWriter(o);
        var t = InfluxTestDatabase.NowMs();
        var tasks = new List<Task>();
        await using (var batcher = new InfluxBatcher(writer, new InfluxBatcherOptions { MaxPoints = 100, MaxDelay = TimeSpan.FromMinutes(5) }))
        {
            for (var i = 0; i < 250; i++) tasks.Add(Add(batcher, new($"fd-{i % 7}", i, t + i)));
            Assert.Equal(3, tasks.Distinct().Count());
            Assert.Same(tasks[0], tasks[99]);
            await Task.WhenAll(tasks.Take(200)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(tasks[249].IsCompleted, "50 points are neither full nor 5 minutes old");
            using var q = new InfluxQueryClient(o);
            Assert.Equal(200, await InfluxTestDatabase.CountAsync(q, "fire", "temp_c"));
        }
        Assert.True(tasks[249].IsCompletedSuccessfully, "dispose writes the partial batch");
        using var q2 = new InfluxQueryClient(o);
        Assert.Equal(250, await InfluxTestDatabase.CountAsync(q2, "fire", "temp_c"));
    }

    [Fact]
    public async Task A_lone_point_is_written_after_max_delay()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "b");
        await using var writer = new InfluxWriter(o);
        await using var batcher = new InfluxBatcher(writer, new InfluxBatcherOptions { MaxDelay = TimeSpan.FromMilliseconds(50) });
        var sw = Stopwatch.StartNew();
        await Add(batcher, new("fd-1", 21.5, InfluxTestDatabase.NowMs())).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(45), $"written before MaxDelay: {sw.Elapsed}");
        using var q = new InfluxQueryClient(o);
        Assert.Equal(1, await InfluxTestDatabase.CountAsync(q, "fire", "temp_c"));
    }

    [Fact]
    public async Task Bad_point_throws_to_its_caller_and_the_batch_stays_valid()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "b");
        await using var writer = new InfluxWriter(o);
        await using var batcher = new InfluxBatcher(writer, new InfluxBatcherOptions { MaxDelay = TimeSpan.FromMilliseconds(20) });
        var t = InfluxTestDatabase.NowMs();
        var good = Add(batcher, new("fd-1", 1, t));
        Assert.Throws<ArgumentException>(() => { _ = Add(batcher, new("fd-2", double.NaN, t)); });
        var alsoGood = Add(batcher, new("fd-3", 3, t));
        await Task.WhenAll(good, alsoGood).WaitAsync(TimeSpan.FromSeconds(5));
        using var q = new InfluxQueryClient(o);
        Assert.Equal(2, await InfluxTestDatabase.CountAsync(q, "fire", "temp_c"));
    }
}
