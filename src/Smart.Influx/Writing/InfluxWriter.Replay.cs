using System.Buffers;

namespace Smart.Influx.Writing;

public sealed partial class InfluxWriter
{
    /// <summary>Drains the spool oldest first; a record is consumed only after InfluxDB handled it.</summary>
    private async Task ReplayLoopAsync(CancellationToken ct)
    {
        var spool = _spool!;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ReplayNextAsync(spool, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // A disk error must not end replay for good (the spool would then fill and stall every writer).
                Report(new(InfluxWriterEventKind.SpoolCorrupt, $"Reading spool {_options.SpoolDirectory} failed ({e.Message}); retrying. Check the disk."));
                await Task.Delay(_options.MaxRetryDelay, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads up to <c>MaxConcurrentWrites</c> records ahead and sends them concurrently, so replay keeps up with new
    /// batches queueing behind it; the records' segments are deleted only after all of them were handled.
    /// </summary>
    private async Task ReplayNextAsync(Spool.DiskSpool spool, CancellationToken ct)
    {
        var waitForData = spool.WhenDataAppended;
        var window = new List<(byte[] Buffer, int Length)>(_options.MaxConcurrentWrites);
        try
        {
            while (window.Count < _options.MaxConcurrentWrites && spool.TryReadNext(out var record))
            {
                var copy = ArrayPool<byte>.Shared.Rent(record.Length);
                record.CopyTo(copy);
                window.Add((copy, record.Length));
            }
            if (window.Count == 0)
            {
                spool.CommitRead(); // a torn-only segment
                if (spool.TryDeactivateWhenEmpty())
                    Report(new(InfluxWriterEventKind.SpoolDrained, $"Spool replayed completely; writing straight to {_options.Url} again."));
                await waitForData.WaitAsync(ct).ConfigureAwait(false);
                return;
            }
            await Task.WhenAll(window.Select(r => SendUntilHandledAsync(r.Buffer.AsMemory(0, r.Length), ct))).ConfigureAwait(false);
            spool.CommitRead();
            Interlocked.Add(ref Metrics.BatchesReplayed, window.Count);
            ReportReplayedRange(window);
        }
        finally
        {
            foreach (var (buffer, _) in window) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReportReplayedRange(List<(byte[] Buffer, int Length)> window)
    {
        var (from, to) = (long.MaxValue, long.MinValue);
        foreach (var (buffer, length) in window)
            if (Lines.TryTimeRange(buffer.AsSpan(0, length), _options.Precision, out var f, out var t))
                (from, to) = (Math.Min(from, f), Math.Max(to, t));
        if (from <= to)
            Report(new(InfluxWriterEventKind.Replayed, $"{window.Count} spooled batches written to {_options.Url}", FromMs: from, ToMs: to));
    }
}
