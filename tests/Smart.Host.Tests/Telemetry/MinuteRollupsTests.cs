using System.Text;
using Smart.Core;
using Smart.Host.Bridge;
using Smart.Host.Telemetry;
using Smart.Influx.LineProtocol;

namespace Smart.Host.Tests.Telemetry;

public sealed class MinuteRollupsTests
{
    private const long Minute = 60_000;
    private static readonly long Start = 1_800_000_000_000 / Minute * Minute + 20_000; // 20 s into a minute
    private static readonly long M1 = Start - 20_000 + Minute; // the first minute that began after the start
    private static readonly Device Fire = new("f-1", DeviceKind.Fire, "b", "g", "c", "s");

    private static DecodedMessage Reading(long ts, double temp, Device? device = null) => new()
    {
        Device = device ?? Fire, Channel = TopicChannel.Telemetry, TimestampMs = ts,
        Fields = [FieldValue.Of("smoke_pct_per_m", 0.01), FieldValue.Of("temp_c", temp), FieldValue.Of("co_ppm", 2), FieldValue.Of("lid", true)],
    };

    private static string Text(LineProtocolWriter w) => Encoding.UTF8.GetString(w.WrittenMemory.Span);

    [Fact]
    public void A_minute_is_written_with_mean_min_max_per_field_when_its_series_moves_on()
    {
        var r = new MinuteRollups(Start);
        using var w = new LineProtocolWriter(1024);
        var late = new LateMinutes();
        Assert.True(r.Add(Reading(M1 + 1_000, 20), true, M1 + 1_100, w, late));
        Assert.True(r.Add(Reading(M1 + 30_000, 26), true, M1 + 30_100, w, late));
        Assert.Equal(0, w.Length);
        Assert.True(r.Add(Reading(M1 + Minute + 1_000, 30), true, M1 + Minute + 1_100, w, late));
        Assert.Equal($"fire,community=c,device=f-1,grid=g,street=s smoke_pct_per_m_mean=0.01,smoke_pct_per_m_min=0.01,smoke_pct_per_m_max=0.01,"
            + $"temp_c_mean=23,temp_c_min=20,temp_c_max=26,co_ppm_mean=2,co_ppm_min=2,co_ppm_max=2 {M1}\n", Text(w));
        Assert.True(late.IsEmpty);
    }

    [Fact]
    public void The_minute_the_process_started_in_is_left_to_the_recompute_from_raw_points()
    {
        var r = new MinuteRollups(Start);
        using var w = new LineProtocolWriter(1024);
        var late = new LateMinutes();
        Assert.True(r.Add(Reading(Start + 5_000, 20), true, Start + 5_100, w, late)); // earlier readings went to the previous process
        Assert.True(r.Add(Reading(M1 + 5_000, 22), true, M1 + 5_100, w, late));
        Assert.Equal(0, w.Length);
        Assert.Equal((M1 - Minute, M1 - 1), late.ByDevice["f-1"]);
        Assert.True(late.All.From > late.All.To); // one device's minute, not every series
    }

    [Fact]
    public void Repeated_reordered_and_older_readings_are_not_counted_but_reported()
    {
        var r = new MinuteRollups(Start);
        using var w = new LineProtocolWriter(1024);
        var late = new LateMinutes();
        Assert.True(r.Add(Reading(M1 + 10_000, 20), true, M1 + 10_100, w, late));
        Assert.False(r.Add(Reading(M1 + 10_000, 20), false, M1 + 11_000, w, late));              // a redelivery (seq not new)
        Assert.True(r.Add(Reading(M1 + Minute + 1_000, 40), true, M1 + Minute + 1_100, w, late)); // closes M1
        Assert.False(r.Add(Reading(M1 + 50_000, 99), true, M1 + Minute + 2_000, w, late));       // older than the open minute
        Assert.False(r.Add(Reading(M1 - 5 * Minute, 99), true, M1 + Minute + 3_000, w, late));   // arrives minutes late
        Assert.Contains("temp_c_mean=20,temp_c_min=20,temp_c_max=20", Text(w));
        Assert.True(late.IsEmpty); // the caller notes the rejected readings' times
    }

    [Fact]
    public void Two_readings_with_one_timestamp_leave_their_minute_to_the_recompute_as_the_raw_store_keeps_one_point()
    {
        var r = new MinuteRollups(Start);
        using var w = new LineProtocolWriter(1024);
        var late = new LateMinutes();
        Assert.True(r.Add(Reading(M1 + 10_000, 20), true, M1 + 10_100, w, late));
        Assert.True(r.Add(Reading(M1 + 10_000, 30), true, M1 + 10_200, w, late)); // a new seq, the same millisecond
        Assert.True(r.Add(Reading(M1 + 20_000, 25), true, M1 + 20_100, w, late));
        Assert.True(r.Add(Reading(M1 + Minute + 1_000, 40), true, M1 + Minute + 1_100, w, late)); // closes M1
        Assert.Equal(0, w.Length);
        Assert.Equal((M1, M1 + Minute - 1), late.ByDevice["f-1"]);

        // Readings in order with distinct times stay exact (the next minute is written, not recomputed).
        Assert.True(r.Add(Reading(M1 + Minute + 2_000, 42), true, M1 + Minute + 2_100, w, late));
        Assert.True(r.Add(Reading(M1 + 2 * Minute + 1_000, 44), true, M1 + 2 * Minute + 1_100, w, late));
        Assert.Contains("temp_c_mean=41,temp_c_min=40,temp_c_max=42", Text(w));
    }

    [Fact]
    public void The_sweep_writes_the_minutes_of_series_that_went_quiet_and_keeps_the_open_ones()
    {
        var r = new MinuteRollups(Start);
        using var w = new LineProtocolWriter(1024);
        var late = new LateMinutes();
        var other = new Device("f-2", DeviceKind.Fire, "b", "g", "c", "s");
        r.Add(Reading(M1 + 1_000, 21), true, M1 + 1_100, w, late);
        r.Add(Reading(M1 + Minute + 1_000, 23, other), true, M1 + Minute + 1_100, w, late);
        r.Sweep(M1 + MinuteRollups.IdleCloseMs, w, late);
        var text = Text(w);
        Assert.Contains("device=f-1", text);
        Assert.DoesNotContain("device=f-2", text);
        r.Sweep(M1 + Minute + MinuteRollups.IdleCloseMs, w, late);
        Assert.Contains("device=f-2", Text(w));
        Assert.Equal(2, Text(w).Count(c => c == '\n'));
    }

    [Fact]
    public void Late_minutes_are_kept_per_device_until_too_many_then_for_every_series()
    {
        var late = new LateMinutes();
        late.Add("d1", 5_000, 6_000);
        late.Add("d1", 1_000, 2_000);
        Assert.Equal((1_000L, 6_000L), late.ByDevice["d1"]);
        for (var i = 0; i < LateMinutes.MaxDevices; i++) late.Add($"x{i}", 10_000, 10_000);
        Assert.Equal(LateMinutes.MaxDevices, late.ByDevice.Count);
        Assert.Equal((10_000L, 10_000L), late.All); // the device over the limit went to every series
        Assert.Equal(1_000, late.EarliestMs);
    }

    [Fact]
    public void Taking_what_is_due_splits_ranges_at_the_cut_and_keeps_the_rest()
    {
        var late = new LateMinutes();
        late.Add("d1", 1_000, 9_000);
        late.Add("d2", 7_000, 8_000);
        late.Add(null, 2_000, 3_000);
        var due = late.TakeBefore(5_000);
        Assert.Equal((1_000L, 4_999L), due.ByDevice["d1"]);
        Assert.False(due.ByDevice.ContainsKey("d2"));
        Assert.Equal((2_000L, 3_000L), due.All);
        Assert.Equal((5_000L, 9_000L), late.ByDevice["d1"]);
        Assert.Equal((7_000L, 8_000L), late.ByDevice["d2"]);
        Assert.True(late.All.From > late.All.To);
    }
}
