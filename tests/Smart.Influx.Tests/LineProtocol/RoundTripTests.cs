using Smart.Influx.LineProtocol;
using Smart.Influx.Query;
using Smart.Influx.Writing;
using Smart.Testing;

namespace Smart.Influx.Tests.LineProtocol;

/// <summary>Nasty values written through the writer and read back from a real influxd, exactly.</summary>
[Collection(SharedInflux.Name)]
public sealed class RoundTripTests(InfluxFixture influx)
{
    public static TheoryData<string> NastyStrings => new()
    {
        "plain", "with space", "comma,here", "equals=here", "quote\"here", "back\\slash", "trailing\\", "\\\\double",
        "new\nline", "tab\there", "中文 街道,社区=网格", "emoji 🔥", "' OR 1=1 --", "{\"json\":true}", " lead and trail ",
    };

    [Theory]
    [MemberData(nameof(NastyStrings))]
    public async Task String_field_round_trips_exactly(string value)
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "rt");
        var t = InfluxTestDatabase.NowMs();
        using var lp = new LineProtocolWriter();
        lp.Measurement("m").Tag("device", "d1").Field("s", value).Timestamp(t);
        await using (var writer = new InfluxWriter(o)) await writer.WriteAsync(lp.WrittenMemory);
        using var q = new InfluxQueryClient(o);
        var s = Assert.Single(await q.QueryAsync("SELECT s FROM m"));
        Assert.Equal(value, s.Values[0][1]);
        Assert.Equal(t, s.Values[0][0]);
    }

    [Fact]
    public async Task Names_and_tag_values_with_special_characters_round_trip_exactly()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "rt");
        string[] tagValues = ["with space", "comma,here", "equals=here", "quote\"here", "mid\\dle", "中文 街道", "a=b,c d"];
        var t = InfluxTestDatabase.NowMs();
        using var lp = new LineProtocolWriter();
        for (var i = 0; i < tagValues.Length; i++)
            lp.Measurement("my meas,ure=1").Tag("tag key,=", tagValues[i]).Field("field key,=", (long)i).Timestamp(t + i);
        await using (var writer = new InfluxWriter(o)) await writer.WriteAsync(lp.WrittenMemory);
        using var q = new InfluxQueryClient(o);
        var s = Assert.Single(await q.QueryAsync("SELECT \"field key,=\", \"tag key,=\" FROM \"my meas,ure=1\""));
        Assert.Equal("my meas,ure=1", s.Name);
        for (var i = 0; i < tagValues.Length; i++)
        {
            Assert.Equal((long)i, s.Values[i][1]);
            Assert.Equal(tagValues[i], s.Values[i][2]);
        }
    }

    [Fact]
    public async Task Numbers_and_booleans_round_trip_exactly_including_extremes()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "rt");
        double[] floats = [double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon, 0.1, 1.0 / 3, -0.0, 1e-300, 123456789.123456789, 21.5, 3.0];
        long[] longs = [long.MinValue, long.MaxValue, 0, -1];
        var t = InfluxTestDatabase.NowMs();
        using var lp = new LineProtocolWriter();
        for (var i = 0; i < floats.Length; i++) lp.Measurement("f").Field("v", floats[i]).Timestamp(t + i);
        for (var i = 0; i < longs.Length; i++) lp.Measurement("i").Field("v", longs[i]).Timestamp(t + i);
        lp.Measurement("b").Field("v", true).Timestamp(t).Measurement("b").Field("v", false).Timestamp(t + 1);
        await using (var writer = new InfluxWriter(o)) await writer.WriteAsync(lp.WrittenMemory);
        using var q = new InfluxQueryClient(o);
        var f = Assert.Single(await q.QueryAsync("SELECT v FROM f"));
        for (var i = 0; i < floats.Length; i++)
        {
            var back = f.GetDouble(i, "v")!.Value;
            Assert.Equal(BitConverter.DoubleToInt64Bits(floats[i]), BitConverter.DoubleToInt64Bits(back));
        }
        var l = Assert.Single(await q.QueryAsync("SELECT v FROM i"));
        Assert.Equal(longs, l.Values.Select(r => (long)r[1]!));
        var b = Assert.Single(await q.QueryAsync("SELECT v FROM b"));
        Assert.Equal([true, false], b.Values.Select(r => (bool)r[1]!));
    }

    [Fact]
    public async Task Nanosecond_precision_keeps_every_digit()
    {
        var o = await InfluxTestDatabase.CreateAsync(influx, "rt", o => o.Precision = InfluxPrecision.Nanoseconds);
        var ns = InfluxTestDatabase.NowMs() * 1_000_000 + 123_457;
        using var lp = new LineProtocolWriter();
        lp.Measurement("m").Field("v", 1L).Timestamp(ns).Measurement("m").Field("v", 2L).Timestamp(ns + 1);
        await using (var writer = new InfluxWriter(o)) await writer.WriteAsync(lp.WrittenMemory);
        var raw = await influx.QueryAsync("SELECT v FROM m", o.Database);
        var body = await influx.Http.GetStringAsync($"{influx.Url}/query?db={o.Database}&epoch=ns&q=SELECT%20v%20FROM%20m");
        Assert.Contains($"[{ns},1],[{ns + 1},2]", body);
        Assert.Contains($"[{ns / 1_000_000},1]", raw);
    }
}
