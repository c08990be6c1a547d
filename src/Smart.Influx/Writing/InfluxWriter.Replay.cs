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

    private async Task ReplayNextAsync(Spool.DiskSpool spool, CancellationToken ct)
    {
        var waitForData = spool.WhenDataAppended;
        if (!spool.TryReadNext(out var record))
        {
            if (spool.TryDeactivateWhenEmpty())
                Report(new(InfluxWriterEventKind.SpoolDrained, $"Spool replayed completely; writing straight to {_options.Url} again."));
            await waitForData.WaitAsync(ct).ConfigureAwait(false);
            return;
        }
        await SendUntilHandledAsync(record, ct).ConfigureAwait(false);
        spool.ConsumeCurrent();
        Interlocked.Increment(ref Metrics.BatchesReplayed);
    }
}
