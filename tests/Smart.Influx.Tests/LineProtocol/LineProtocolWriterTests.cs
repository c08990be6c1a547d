using System.Text;
using Smart.Influx.LineProtocol;

namespace Smart.Influx.Tests.LineProtocol;

public sealed class LineProtocolWriterTests
{
    private static string Text(LineProtocolWriter w) => Encoding.UTF8.GetString(w.WrittenSpan);

    [Fact]
    public void Writes_tags_fields_and_ms_timestamp_in_line_protocol()
    {
        using var w = new LineProtocolWriter();
        w.Measurement("fire").Tag("device", "fd-1").Tag("grid"u8, "g7").Field("temp_c", 21.5).Field("alarm", false).Field("seq"u8, 42L).Timestamp(1700000000123);
        w.Measurement("fire").Field("temp_c"u8, 3.0).EndLine();
        Assert.Equal("fire,device=fd-1,grid=g7 temp_c=21.5,alarm=false,seq=42i 1700000000123\nfire temp_c=3\n", Text(w));
        Assert.Equal(2, w.PointCount);
    }

    [Theory]
    [InlineData("my measure,x", "my\\ measure\\,x")]
    [InlineData("a=b", "a=b")]
    [InlineData("中文\"q", "中文\"q")]
    public void Measurement_escapes_commas_and_spaces_only(string name, string expected)
    {
        using var w = new LineProtocolWriter();
        w.Measurement(name).Field("v", 1L).EndLine();
        Assert.Equal($"{expected} v=1i\n", Text(w));
    }

    [Fact]
    public void Tag_keys_values_and_field_keys_escape_commas_equals_and_spaces()
    {
        using var w = new LineProtocolWriter();
        w.Measurement("m").Tag("k ,=", "v ,=街道").Field("f ,=", true).EndLine();
        Assert.Equal("m,k\\ \\,\\==v\\ \\,\\=街道 f\\ \\,\\==true\n", Text(w));
    }

    [Fact]
    public void String_fields_escape_quotes_and_backslashes_and_keep_line_breaks()
    {
        using var w = new LineProtocolWriter();
        w.Measurement("m").Field("s", "a\"b\\c\nd, e=f").EndLine();
        Assert.Equal("m s=\"a\\\"b\\\\c\nd, e=f\"\n", Text(w));
    }

    [Fact]
    public void Floats_are_written_round_trippable_and_integers_with_suffix()
    {
        using var w = new LineProtocolWriter();
        w.Measurement("m").Field("max", double.MaxValue).Field("eps", double.Epsilon).Field("neg0", -0.0).Field("third", 1.0 / 3)
            .Field("lmin", long.MinValue).Field("lmax", long.MaxValue).EndLine();
        Assert.Equal("m max=1.7976931348623157E+308,eps=5E-324,neg0=-0,third=0.3333333333333333,lmin=-9223372036854775808i,lmax=9223372036854775807i\n", Text(w));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_float_is_rejected_and_the_unfinished_line_removed(double value)
    {
        using var w = new LineProtocolWriter();
        w.Measurement("m").Field("ok", 1.0).EndLine();
        var e = Assert.Throws<ArgumentException>(() => w.Measurement("m").Tag("device", "d").Field("temp_c", value));
        Assert.Contains("finite", e.Message);
        w.Measurement("m").Field("next", 2.0).EndLine();
        Assert.Equal("m ok=1\nm next=2\n", Text(w));
        Assert.Equal(2, w.PointCount);
    }

    [Theory]
    [InlineData("ends\\")]
    [InlineData("a\\ b")]
    [InlineData("a\\,b")]
    [InlineData("line\nbreak")]
    [InlineData("cr\rx")]
    public void Tag_value_that_line_protocol_cannot_represent_is_rejected(string value)
    {
        using var w = new LineProtocolWriter();
        Assert.Throws<ArgumentException>(() => w.Measurement("m").Tag("k", value));
        Assert.Equal(0, w.Length);
    }

    [Fact]
    public void Backslash_before_an_ordinary_character_is_kept_literally()
    {
        using var w = new LineProtocolWriter();
        w.Measurement("m").Tag("path", "C:\\dir").Field("v", 1L).EndLine();
        Assert.Equal("m,path=C:\\dir v=1i\n", Text(w));
    }

    [Fact]
    public void Empty_tag_value_is_omitted()
    {
        using var w = new LineProtocolWriter();
        w.Measurement("m").Tag("a", "").Tag("b", "x").Field("v", 1L).EndLine();
        Assert.Equal("m,b=x v=1i\n", Text(w));
    }

    [Theory]
    [InlineData("#comment")]
    [InlineData("")]
    public void Measurement_that_would_be_a_comment_or_empty_is_rejected(string name)
    {
        using var w = new LineProtocolWriter();
        Assert.Throws<ArgumentException>(() => w.Measurement(name));
    }

    [Fact]
    public void Time_as_tag_or_field_key_is_rejected_because_influxdb_drops_the_point()
    {
        using var w = new LineProtocolWriter();
        Assert.Throws<ArgumentException>(() => w.Measurement("m").Tag("time", "x"));
        Assert.Throws<ArgumentException>(() => w.Measurement("m").Field("time", 1L));
        Assert.Throws<ArgumentException>(() => w.Measurement("m").Field("time"u8, 1L));
    }

    [Fact]
    public void Misordered_calls_are_rejected_with_what_to_do()
    {
        using var w = new LineProtocolWriter();
        Assert.Contains("Measurement", Assert.Throws<ArgumentException>(() => w.Field("v", 1L)).Message);
        Assert.Throws<ArgumentException>(() => w.Measurement("m").Timestamp(1));
        Assert.Throws<ArgumentException>(() => w.Measurement("m").Field("v", 1L).Tag("late", "x"));
        Assert.Throws<ArgumentException>(() => w.Measurement("m").Measurement("n"));
        Assert.Equal(0, w.Length);
    }

    [Fact]
    public void Buffer_grows_for_long_strings_and_clear_reuses_it()
    {
        using var w = new LineProtocolWriter(initialCapacity: 16);
        var big = new string('界', 100_000);
        w.Measurement("m").Field("s", big).Timestamp(1);
        Assert.Equal(2 + 3 + 300_000 + 4, w.Length);
        w.Clear();
        Assert.Equal(0, w.Length);
        w.Measurement("m").Field("v", 1L).Timestamp(2);
        Assert.Equal("m v=1i 2\n", Text(w));
    }

    [Theory]
    [InlineData("fd-0001")]
    [InlineData("with space,comma=equals")]
    [InlineData("中文 街道")]
    [InlineData("quote\"back\\slash")]
    [InlineData("ends\\")]
    [InlineData("line\nbreak")]
    public void Utf8_overloads_write_exactly_what_the_string_overloads_write(string value)
    {
        using var fromString = new LineProtocolWriter();
        using var fromUtf8 = new LineProtocolWriter();
        var bytes = Encoding.UTF8.GetBytes(value);
        var stringError = Record.Exception(() => fromString.Measurement("m").Tag("k", value).StringField("s", value).Timestamp(1));
        var utf8Error = Record.Exception(() => fromUtf8.Measurement("m").Tag("k"u8, bytes).StringField("s"u8, bytes).Timestamp(1));
        Assert.Equal(stringError?.GetType(), utf8Error?.GetType());
        Assert.Equal(Text(fromString), Text(fromUtf8));
    }

    [Fact]
    public void Invalid_utf8_tag_is_rejected()
    {
        using var w = new LineProtocolWriter();
        Assert.Contains("UTF-8", Assert.Throws<ArgumentException>(() => w.Measurement("m").Tag("k"u8, [0xC3, 0x28])).Message);
    }

    [Fact]
    public void Timestamp_converts_to_each_precision()
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1700000000123).AddTicks(4567);
        Assert.Equal(1700000000123456700, LineProtocolWriter.ToEpoch(t, InfluxPrecision.Nanoseconds));
        Assert.Equal(1700000000123456, LineProtocolWriter.ToEpoch(t, InfluxPrecision.Microseconds));
        Assert.Equal(1700000000123, LineProtocolWriter.ToEpoch(t, InfluxPrecision.Milliseconds));
        Assert.Equal(1700000000, LineProtocolWriter.ToEpoch(t, InfluxPrecision.Seconds));
    }
}
