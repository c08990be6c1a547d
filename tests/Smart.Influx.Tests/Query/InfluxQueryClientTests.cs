using System.Text;
using Smart.Influx.Query;
using Smart.Influx.Writing;
using Smart.Testing;

namespace Smart.Influx.Tests.Query;

[Collection(SharedInflux.Name)]
public sealed class InfluxQueryClientTests(InfluxFixture influx)
{
    private async Task<(InfluxOptions Options, long T)> SeedAsync(int points)
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "q");
        var t = InfluxTestDatabase.NowMs() - points;
        var lines = new StringBuilder();
        for (var i = 0; i < points; i++) lines.Append($"fire,device=fd-{i % 2},grid=g1 temp_c={i}.5 {t + i}\n");
        await using var writer = new InfluxWriter(o);
        await writer.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()));
        return (o, t);
    }

    [Fact]
    public async Task Bound_parameters_select_exactly_and_cannot_inject()
    {
        var (o, t) = await SeedAsync(10);
        using var q = new InfluxQueryClient(o);
        var hit = await q.QueryAsync("SELECT temp_c FROM fire WHERE device = $device AND time >= $from",
            new Dictionary<string, object?> { ["device"] = "fd-1", ["from"] = DateTimeOffset.FromUnixTimeMilliseconds(t + 4) });
        Assert.Equal([t + 5, t + 7, t + 9], Assert.Single(hit).Values.Select(r => (long)r[0]!));
        var injected = await q.QueryAsync("SELECT temp_c FROM fire WHERE device = $device",
            new Dictionary<string, object?> { ["device"] = "fd-1' OR device = 'fd-0" });
        Assert.Empty(injected);
    }

    [Fact]
    public async Task Chunked_response_arrives_in_pieces_and_query_merges_them_in_order()
    {
        var (o, t) = await SeedAsync(25);
        using var q = new InfluxQueryClient(o) { ChunkSize = 10 };
        var pieces = new List<InfluxSeries>();
        await foreach (var s in q.QueryChunksAsync("SELECT temp_c FROM fire")) pieces.Add(s);
        Assert.Equal([10, 10, 5], pieces.Select(p => p.Values.Count));
        var merged = Assert.Single(await q.QueryAsync("SELECT temp_c FROM fire"));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => t + i), merged.Values.Select(r => (long)r[0]!));
        Assert.Equal(24.5, merged.GetDouble(24, "temp_c"));
    }

    [Fact]
    public async Task Group_by_tags_and_several_statements_come_back_as_separate_series()
    {
        var (o, _) = await SeedAsync(10);
        using var q = new InfluxQueryClient(o);
        var series = await q.QueryAsync("SELECT count(temp_c) FROM fire GROUP BY device; SELECT max(temp_c) FROM fire");
        Assert.Equal(3, series.Count);
        Assert.Equal(["fd-0", "fd-1"], series.Take(2).Select(s => s.Tags["device"]));
        Assert.All(series.Take(2), s => Assert.Equal(5L, s.Values[0][1]));
        Assert.Equal(1, series[2].StatementId);
        Assert.Equal(9.5, series[2].GetDouble(0, "max"));
    }

    [Fact]
    public async Task Bad_influxql_throws_with_the_server_message()
    {
        var (o, _) = await SeedAsync(1);
        using var q = new InfluxQueryClient(o);
        var e = await Assert.ThrowsAsync<InfluxQueryException>(() => q.QueryAsync("SELEKT nothing"));
        Assert.Contains("SELEKT", e.Message);
        var e2 = await Assert.ThrowsAsync<InfluxQueryException>(() => q.ExecuteAsync("CREATE RETENTION POLICY \"x\" ON \"no_such_db\" DURATION 1d REPLICATION 1"));
        Assert.Contains("database not found", e2.Message);
    }

    [Fact]
    public async Task Unreachable_server_throws_a_clear_error()
    {
        var o = new InfluxOptions { Url = new Uri($"http://127.0.0.1:{Ports.Free()}"), RequestTimeout = TimeSpan.FromSeconds(2) };
        using var q = new InfluxQueryClient(o);
        var e = await Assert.ThrowsAsync<InfluxQueryException>(() => q.QueryAsync("SHOW DATABASES"));
        Assert.Contains("unreachable", e.Message);
    }
}
