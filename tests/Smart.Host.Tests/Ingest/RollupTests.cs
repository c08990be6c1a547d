using System.Globalization;
using System.Text;
using Smart.Testing;

namespace Smart.Host.Tests.Ingest;

/// <summary>
/// The 1-minute and 1-hour rollups with the host as its own process and a real influxd: the host's own minutes, and the
/// recompute from raw points for what it could not count (late readings, a spool drained, a spool left by a killed host).
/// </summary>
public sealed class RollupTests
{
    private const int Devices = 50;

    [Fact]
    public async Task The_host_writes_the_1_minute_rollup_of_a_series_when_it_moves_to_the_next_minute()
    {
        // Readings stamped two minutes ahead (within the accepted clock skew) fall in a minute that began after the
        // host started; the late-rollup pass only ever looks at minutes before now, so the row can only be the host's.
        await using var rig = await StartAsync();
        await using var publisher = await ConnectAsync(rig);
        var minute = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 + 2) * 60_000;
        await PublishAsync(publisher, "load-00003", [(minute + 1_000, 20), (minute + 2_000, 21), (minute + 3_000, 25), (minute + 61_000, 30)]);
        await WaitForRowsAsync(rig, "rollup_1m", "load-00003", "the host's rollup of the first minute");
        Assert.Equal([$"{minute} 22 20 25"], await RowsAsync(rig, "rollup_1m", "load-00003"));
    }

    [Fact]
    public async Task Readings_that_arrive_late_without_the_spool_are_rolled_up_from_the_raw_points()
    {
        // A device uploading what it stored while offline: InfluxDB is up, but the readings are 3 h old when they land,
        // long after the host wrote those minutes and beyond the hour CQ's 2-h look-back.
        await using var rig = await StartAsync();
        await using var publisher = await ConnectAsync(rig);
        var hour = HoursAgo(3);
        await PublishAsync(publisher, "load-00001", [(hour + 5_000, 30), (hour + 125_000, 34)]);
        await WaitForRowsAsync(rig, "rollup_1h", "load-00001", "the 1-hour rollup of the late hour");
        Assert.Equal([$"{hour} 30 30 30", $"{hour + 120_000} 34 34 34"], await RowsAsync(rig, "rollup_1m", "load-00001"));
        Assert.Equal([$"{hour} 32 30 34"], await RowsAsync(rig, "rollup_1h", "load-00001"));
        Assert.Equal(0, await rig.MetricAsync("smart_influx_batches_spooled_total"));
    }

    [Fact]
    public async Task After_the_spool_drains_the_rollups_of_the_spooled_points_are_recomputed()
    {
        await using var rig = await StartAsync();
        await using var publisher = await ConnectAsync(rig);
        await rig.Influx.StopAsync();
        var hour = HoursAgo(5);
        await PublishAsync(publisher, "load-00000", [(hour + 1_000, 20), (hour + 2_000, 22), (hour + 61_000, 24)]);
        await WaitForAcknowledgedAsync(rig, 3);
        Assert.Equal(1, await rig.MetricAsync("smart_influx_spooling"));

        await rig.Influx.StartAsync();
        await WaitForRowsAsync(rig, "rollup_1h", "load-00000", "the 1-hour rollup of the spooled hour");
        Assert.Equal([$"{hour} 21 20 22", $"{hour + 60_000} 24 24 24"], await RowsAsync(rig, "rollup_1m", "load-00000"));
        Assert.Equal([$"{hour} 22.5 20 24"], await RowsAsync(rig, "rollup_1h", "load-00000")); // the mean of the minutes
    }

    [Fact]
    public async Task Readings_spooled_by_a_host_that_was_then_killed_are_rolled_up_after_its_restart()
    {
        // The restarted host did not spool these itself: the replayed points' times come from the spool's lines.
        await using var rig = await StartAsync();
        await using var publisher = await ConnectAsync(rig);
        await rig.Influx.StopAsync();
        var hour = HoursAgo(4);
        await PublishAsync(publisher, "load-00002", [(hour + 7_000, 10), (hour + 8_000, 14)]);
        await WaitForAcknowledgedAsync(rig, 2);
        rig.KillHost();

        await rig.Influx.StartAsync();
        await rig.StartHostAsync();
        await WaitForRowsAsync(rig, "rollup_1h", "load-00002", "the 1-hour rollup of the hour spooled before the restart");
        Assert.Equal([$"{hour} 12 10 14"], await RowsAsync(rig, "rollup_1m", "load-00002"));
        Assert.Equal([$"{hour} 12 10 14"], await RowsAsync(rig, "rollup_1h", "load-00002"));
    }

    [Fact]
    public async Task History_reads_raw_points_within_the_raw_retention_and_rollups_before_it()
    {
        await using var rig = await StartAsync();
        await using var publisher = await ConnectAsync(rig);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var minute = (now / 60_000 - 3) * 60_000;
        await PublishAsync(publisher, "load-00004", [(minute + 1_000, 20), (minute + 2_000, 24)]);
        await WaitForAcknowledgedAsync(rig, 2);
        // 40 days ago only rollups exist (raw is kept 30 days); written directly, as the bridge refuses week-old readings.
        var old = (now / 3_600_000 - 40 * 24) * 3_600_000;
        await rig.Influx.Http.PostAsync($"{rig.Influx.Url}/write?db=smart&rp=rollup_1h&precision=ms", new StringContent(
            $"fire,community=load,device=load-00004,grid=load,street=load temp_c_mean=31,temp_c_min=30,temp_c_max=32 {old}\n"
            + $"fire,community=load,device=load-00004,grid=load,street=load temp_c_mean=35,temp_c_min=33,temp_c_max=36 {old + 3_600_000}\n"));
        var token = await rig.TokenAsync("operator", "operator123");

        var recent = await rig.GetJsonAsync($"/api/telemetry/load-00004?from={Iso(minute)}&to={Iso(now)}&every=1m", token);
        Assert.Equal("raw", recent.GetProperty("source").GetString());
        Assert.Equal([minute, 22.0], Points(recent, "temp_c").Single());

        var past = await rig.GetJsonAsync($"/api/telemetry/load-00004?from={Iso(old - 3_600_000)}&to={Iso(old + 7_200_000)}&every=1h", token);
        Assert.Equal("rollup_1h", past.GetProperty("source").GetString());
        Assert.Equal([[old, 31.0], [old + 3_600_000, 35.0]], Points(past, "temp_c"));

        using var tooOld = await rig.GetAsync($"/api/telemetry/load-00004?from={Iso(old)}&to={Iso(old + 60_000)}&every=raw", token);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooOld.StatusCode);
        Assert.Contains("30 days", await tooOld.Content.ReadAsStringAsync());
    }

    private static string Iso(long ms) => Uri.EscapeDataString(DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("o", CultureInfo.InvariantCulture));

    private static List<double[]> Points(System.Text.Json.JsonElement history, string metric) =>
        history.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("metric").GetString() == metric)
            .GetProperty("points").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();

    /// <summary>A stack whose late-rollup pass runs every 2 s (1 min by default).</summary>
    private static async Task<IngestRig> StartAsync()
    {
        var rig = new IngestRig(Devices, new Dictionary<string, string> { ["Influx__LateRollupInterval"] = "00:00:02" });
        await rig.StartAsync();
        return rig;
    }

    private static async Task<SteadyPublisher> ConnectAsync(IngestRig rig)
    {
        var publisher = new SteadyPublisher(rig.Broker.Url, Devices, 1);
        await publisher.ConnectAsync(CancellationToken.None);
        return publisher;
    }

    private static long HoursAgo(int hours) => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 3_600_000 - hours) * 3_600_000;

    /// <summary>Fire readings of one device with consecutive seq from 1, stamped as given.</summary>
    private static async Task PublishAsync(SteadyPublisher publisher, string device, (long Ts, double Temp)[] readings)
    {
        for (var i = 0; i < readings.Length; i++)
            await publisher.PublishRawAsync($"smart/v1/fire/{device}/telemetry", Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"ts\":{readings[i].Ts},\"seq\":{i + 1},\"smoke_pct_per_m\":0.01,\"co_ppm\":1.0,\"temp_c\":{readings[i].Temp}}}")));
    }

    private static Task WaitForAcknowledgedAsync(IngestRig rig, int count) =>
        Eventually.UntilAsync(async () => await rig.MetricAsync("smart_bridge_acknowledged_total") >= count,
            TimeSpan.FromSeconds(60), "the readings to be spooled and acknowledged");

    private static Task WaitForRowsAsync(IngestRig rig, string policy, string device, string what) =>
        Eventually.UntilAsync(async () => (await RowsAsync(rig, policy, device)).Count > 0, TimeSpan.FromSeconds(60), what, pollMs: 250);

    /// <summary>temp_c's mean, min and max per bucket of one device's rollups, each row as its values joined by spaces.</summary>
    private static async Task<List<string>> RowsAsync(IngestRig rig, string policy, string device)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await rig.Influx.QueryAsync(
            $"SELECT temp_c_mean, temp_c_min, temp_c_max FROM \"{policy}\".\"fire\" WHERE device = '{device}'", "smart"));
        if (!doc.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series)) return [];
        return series[0].GetProperty("values").EnumerateArray().Select(r => string.Join(' ', r.EnumerateArray().Select(v => v.GetRawText()))).ToList();
    }
}
