using Smart.Influx.Query;
using Smart.Influx.Schema;
using Smart.Testing;

namespace Smart.Influx.Tests.Schema;

[Collection(SharedInflux.Name)]
public sealed class InfluxSchemaTests(InfluxFixture influx)
{
    private static readonly RollupMeasurement[] Rollups =
    [
        new("fire", ["smoke_pct_per_m", "temp_c", "co_ppm"]),
        new("charger", ["voltage_v", "current_a", "temp_c"]),
    ];

    private static async Task<(List<object?[]> Policies, List<object?[]> Queries)> ShowAsync(InfluxQueryClient q, string db)
    {
        var rps = Assert.Single(await q.QueryAsync($"SHOW RETENTION POLICIES ON \"{db}\"")).Values;
        var cqs = (await q.QueryAsync("SHOW CONTINUOUS QUERIES")).Single(s => s.Name == db).Values;
        return (rps, cqs);
    }

    [Fact]
    public async Task Setup_twice_is_idempotent_and_creates_policies_and_rollups()
    {
        var o = new InfluxOptions { Url = new Uri(influx.Url), Database = "schema_twice" };
        using var q = new InfluxQueryClient(o);
        await InfluxSchema.EnsureAsync(q, o.Database, Rollups);
        var first = await ShowAsync(q, o.Database);
        await InfluxSchema.EnsureAsync(q, o.Database, Rollups);
        var second = await ShowAsync(q, o.Database);

        Assert.Equal(first.Policies.Select(r => string.Join('|', r)), second.Policies.Select(r => string.Join('|', r)));
        Assert.Equal(first.Queries.Select(r => string.Join('|', r)), second.Queries.Select(r => string.Join('|', r)));
        var raw = first.Policies.Single(r => (string)r[0]! == "raw");
        Assert.Equal("720h0m0s", raw[1]);
        Assert.Equal(true, raw[4]);
        Assert.Contains(first.Policies, r => (string)r[0]! == "rollup_1m" && (string)r[1]! == "8760h0m0s");
        Assert.Contains(first.Policies, r => (string)r[0]! == "rollup_1h");
        Assert.Equal(["charger_1h", "fire_1h"], first.Queries.Select(r => (string)r[0]!).Order());
        var hour = (string)first.Queries.Single(r => (string)r[0]! == "fire_1h")[1]!;
        Assert.Contains("RESAMPLE EVERY 10m FOR 2h", hour);
        Assert.Contains("mean(co_ppm_mean) AS co_ppm_mean, min(co_ppm_min) AS co_ppm_min, max(co_ppm_max) AS co_ppm_max", hour);
        Assert.Contains("FROM schema_twice.rollup_1m.fire", hour);
    }

    [Fact]
    public async Task Changed_fields_and_retention_replace_the_old_definitions()
    {
        var o = new InfluxOptions { Url = new Uri(influx.Url), Database = "schema_change" };
        using var q = new InfluxQueryClient(o);
        await InfluxSchema.EnsureAsync(q, o.Database, Rollups);
        RollupMeasurement[] changed = [new("fire", ["temp_c"]), Rollups[1]];
        await InfluxSchema.EnsureAsync(q, o.Database, changed, new InfluxSchemaOptions { RawRetention = TimeSpan.FromDays(7) });
        var (rps, cqs) = await ShowAsync(q, o.Database);
        Assert.Equal("168h0m0s", rps.Single(r => (string)r[0]! == "raw")[1]);
        var fire = (string)cqs.Single(r => (string)r[0]! == "fire_1h")[1]!;
        Assert.DoesNotContain("co_ppm", fire);
        Assert.Contains("mean(temp_c_mean) AS temp_c_mean", fire);
    }

    [Fact]
    public async Task A_1_minute_continuous_query_of_an_older_schema_is_dropped()
    {
        var o = new InfluxOptions { Url = new Uri(influx.Url), Database = "schema_old_cq" };
        using var q = new InfluxQueryClient(o);
        await q.ExecuteAsync("CREATE DATABASE schema_old_cq");
        await q.ExecuteAsync("CREATE CONTINUOUS QUERY fire_1m ON schema_old_cq BEGIN SELECT mean(temp_c) AS temp_c_mean INTO schema_old_cq.autogen.fire_m FROM schema_old_cq.autogen.fire GROUP BY time(1m), * END");
        await InfluxSchema.EnsureAsync(q, o.Database, Rollups);
        var (_, cqs) = await ShowAsync(q, o.Database);
        Assert.Equal(["charger_1h", "fire_1h"], cqs.Select(r => (string)r[0]!).Order());
    }

    [Fact]
    public async Task Backfill_writes_mean_min_max_per_minute_and_hours_from_the_minutes_into_the_rollup_policies()
    {
        var o = new InfluxOptions { Url = new Uri(influx.Url), Database = "schema_rollup" };
        using var q = new InfluxQueryClient(o);
        await InfluxSchema.EnsureAsync(q, o.Database, Rollups);
        var hour = (InfluxTestDatabase.NowMs() / 3_600_000 - 2) * 3_600_000;
        await influx.Http.PostAsync($"{influx.Url}/write?db={o.Database}&precision=ms", new StringContent(
            $"fire,device=d1 temp_c=20 {hour}\nfire,device=d1 temp_c=30 {hour + 1000}\nfire,device=d1 temp_c=40 {hour + 61_000}\nfire,device=d2 temp_c=0 {hour}\n"));
        await InfluxSchema.BackfillRollupsAsync(q, o.Database, Rollups,
            DateTimeOffset.FromUnixTimeMilliseconds(hour), DateTimeOffset.FromUnixTimeMilliseconds(hour + 3_600_000));

        var minutes = Assert.Single(await q.QueryAsync("SELECT temp_c_mean, temp_c_min, temp_c_max FROM \"rollup_1m\".\"fire\" WHERE device = 'd1'"));
        Assert.Equal([hour, 25L, 20L, 30L], minutes.Values[0]);
        Assert.Equal([hour + 60_000, 40L, 40L, 40L], minutes.Values[1]);
        // The hour's mean is the mean of its minutes ((25 + 40) / 2), not of its three readings (30): time-weighted.
        var hours = Assert.Single(await q.QueryAsync("SELECT temp_c_mean, temp_c_min, temp_c_max FROM \"rollup_1h\".\"fire\" WHERE device = 'd1'"));
        Assert.Equal([hour, 32.5, 20L, 40L], hours.Values[0]);
        Assert.Equal(["d1", "d2"], Assert.Single(await q.QueryAsync("SHOW TAG VALUES FROM \"rollup_1m\".\"fire\" WITH KEY = \"device\"")).Values.Select(v => (string)v[1]!));
    }

    [Fact]
    public async Task Backfill_for_one_tag_value_leaves_the_other_series_alone()
    {
        var o = new InfluxOptions { Url = new Uri(influx.Url), Database = "schema_rollup_tag" };
        using var q = new InfluxQueryClient(o);
        await InfluxSchema.EnsureAsync(q, o.Database, Rollups);
        var hour = (InfluxTestDatabase.NowMs() / 3_600_000 - 2) * 3_600_000;
        await influx.Http.PostAsync($"{influx.Url}/write?db={o.Database}&precision=ms", new StringContent(
            $"fire,device=d1 temp_c=20 {hour}\nfire,device=d2 temp_c=40 {hour}\n"));
        await InfluxSchema.BackfillRollupsAsync(q, o.Database, Rollups,
            DateTimeOffset.FromUnixTimeMilliseconds(hour), DateTimeOffset.FromUnixTimeMilliseconds(hour), tag: new("device", "d2"));
        foreach (var policy in new[] { "rollup_1m", "rollup_1h" })
        {
            var series = await q.QueryAsync($"SELECT temp_c_mean FROM \"{policy}\".\"fire\" GROUP BY device");
            Assert.Equal(["d2"], series.Select(x => x.Tags["device"]));
            Assert.Equal(40L, series[0].Values[0][1]);
        }
    }

    [Fact]
    public async Task Ping_answers_true_for_a_running_server()
    {
        using var q = new InfluxQueryClient(new InfluxOptions { Url = new Uri(influx.Url) });
        Assert.True(await q.PingAsync());
        using var dead = new InfluxQueryClient(new InfluxOptions { Url = new Uri($"http://127.0.0.1:{Ports.Free()}") });
        Assert.False(await dead.PingAsync());
    }
}
