using System.Collections.Concurrent;
using System.Text;
using Smart.Influx.Spool;
using Smart.Influx.Writing;
using Smart.Testing;

namespace Smart.Influx.Tests.Spool;

public sealed class DiskSpoolTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConcurrentQueue<InfluxWriterEvent> _events = new();

    private DiskSpool Open(long maxBytes = 1 << 20, int batchMaxBytes = 1024) => new(_dir.Path, maxBytes, batchMaxBytes, _events.Enqueue);

    private static List<string> Drain(DiskSpool spool)
    {
        var got = new List<string>();
        while (spool.TryReadNext(out var r))
        {
            got.Add(Encoding.UTF8.GetString(r.Span));
            spool.CommitRead();
        }
        return got;
    }

    private static async Task AppendAsync(DiskSpool spool, params string[] records)
    {
        foreach (var r in records) await spool.AppendAsync(Encoding.UTF8.GetBytes(r), CancellationToken.None);
    }

    [Fact]
    public async Task Records_come_back_in_order_across_segments_and_reopen()
    {
        var records = Enumerable.Range(0, 40).Select(i => $"m v={i}i {i}\n" + new string('x', 300)).ToArray();
        using (var spool = Open(maxBytes: 64 * 1024))
        {
            await AppendAsync(spool, records);
            Assert.True(spool.IsActive);
            Assert.True(Directory.GetFiles(_dir.Path, "*.spool").Length > 1, "8 KiB segments: 40 records of ~330 bytes span several");
        }
        using var reopened = Open(maxBytes: 64 * 1024);
        Assert.Contains(_events, e => e.Kind == InfluxWriterEventKind.SpoolStarted);
        Assert.Equal(records, Drain(reopened));
        Assert.True(reopened.TryDeactivateWhenEmpty());
        Assert.Equal(0, reopened.SizeBytes);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.spool"));
    }

    [Fact]
    public async Task Torn_tail_after_a_crash_is_skipped_and_the_rest_replays()
    {
        using (var spool = Open()) await AppendAsync(spool, "a 1", "b 2", "c 3");
        var segment = Directory.GetFiles(_dir.Path, "*.spool").Single();
        // A crash while appending: a header promising 100 bytes followed by only 5.
        var torn = new byte[SpoolFrame.HeaderBytes + 5];
        SpoolFrame.WriteHeader(torn, new byte[100]);
        await using (var f = new FileStream(segment, FileMode.Append)) f.Write(torn);

        using var reopened = Open();
        Assert.Equal(["a 1", "b 2", "c 3"], Drain(reopened));
        var e = Assert.Single(_events, e => e.Kind == InfluxWriterEventKind.SpoolCorrupt);
        Assert.Contains("skipped 17 bytes", e.Message);
    }

    [Fact]
    public async Task Corrupt_record_in_the_middle_is_skipped_and_later_records_still_replay()
    {
        using (var spool = Open()) await AppendAsync(spool, "first", "second", "third");
        var segment = Directory.GetFiles(_dir.Path, "*.spool").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[SpoolFrame.HeaderBytes + 5 + SpoolFrame.HeaderBytes + 2] ^= 0xFF; // flip a payload byte of "second"
        await File.WriteAllBytesAsync(segment, bytes);

        using var reopened = Open();
        Assert.Equal(["first", "third"], Drain(reopened));
        Assert.Single(_events, e => e.Kind == InfluxWriterEventKind.SpoolCorrupt);
    }

    [Fact]
    public async Task Append_waits_while_full_and_proceeds_when_a_segment_is_replayed()
    {
        using var spool = Open(maxBytes: 4096, batchMaxBytes: 1024);
        var record = new string('r', 1000);
        var appended = 0;
        Task? blocked = null;
        while (blocked is null && appended < 10)
        {
            var t = spool.AppendAsync(Encoding.UTF8.GetBytes(record), CancellationToken.None);
            if (t.IsCompleted) appended++;
            else blocked = t;
        }
        Assert.NotNull(blocked);
        Assert.Equal(4, appended);
        Assert.True(spool.SizeBytes <= 4096);
        Assert.Single(_events, e => e.Kind == InfluxWriterEventKind.SpoolFull);
        Assert.True(spool.TryReadNext(out _));
        spool.CommitRead();
        await blocked.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(4, Drain(spool).Count);
    }

    [Fact]
    public void Second_owner_of_a_spool_directory_is_refused_with_what_to_do()
    {
        using var first = Open();
        var e = Assert.Throws<InvalidOperationException>(() => Open());
        Assert.Contains("give each its own SpoolDirectory", e.Message);
    }

    public void Dispose() => _dir.Dispose();
}
