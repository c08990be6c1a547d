using System.Text;
using Smart.Influx.Writing;

namespace Smart.Influx.Tests.Writing;

public sealed class LinesTests
{
    [Fact]
    public void Time_range_reads_each_lines_last_token_even_after_spaces_in_strings_and_tags()
    {
        var batch = Encoding.UTF8.GetBytes("fire,device=a\\ b note=\"x 99 y\" 1700000000500\nm v=1i 1700000000100\nm v=2i 1700000000900");
        Assert.True(Lines.TryTimeRange(batch, InfluxPrecision.Milliseconds, out var from, out var to));
        Assert.Equal((1_700_000_000_100L, 1_700_000_000_900L), (from, to));
    }

    [Fact]
    public void Time_range_converts_the_precision_to_ms_and_skips_lines_without_a_timestamp()
    {
        var batch = Encoding.UTF8.GetBytes("m v=1i 1700000000123999999\nm v=3i -1500000\nm v=2i\nm note=\"t 5\"\n");
        Assert.True(Lines.TryTimeRange(batch, InfluxPrecision.Nanoseconds, out var from, out var to));
        Assert.Equal((-2L, 1_700_000_000_123L), (from, to)); // floor, also before 1970
        Assert.False(Lines.TryTimeRange(Encoding.UTF8.GetBytes("m v=2i\n"), InfluxPrecision.Milliseconds, out _, out _));
    }
}
