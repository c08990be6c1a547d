namespace Smart.Influx.Writing;

public sealed partial class InfluxWriter
{
    /// <summary>Drains the spool oldest first; a record is consumed only after InfluxDB handled it.</summary>
    private async Task ReplayLoopAsync(CancellationToken ct)
    {
        var spool = _spool!;
        while (!ct.IsCancellationRequested)
        {
            var waitForData = spool.WhenDataAppended;
            if (!spool.TryReadNext(out var record))
            {
                if (spool.TryDeactivateWhenEmpty())
                    Report(new(InfluxWriterEventKind.SpoolDrained, $"Spool replayed completely; writing straight to {_options.Url} again."));
                await waitForData.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }
            await SendUntilHandledAsync(record, ct).ConfigureAwait(false);
            spool.ConsumeCurrent();
            Interlocked.Increment(ref Metrics.BatchesReplayed);
        }
    }
}
