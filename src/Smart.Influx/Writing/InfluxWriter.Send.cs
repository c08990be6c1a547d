using Smart.Influx.Http;

namespace Smart.Influx.Writing;

public sealed partial class InfluxWriter
{
    /// <summary>Sends with up to <paramref name="attempts"/> tries; counts and reports the final answer.</summary>
    private async Task<WriteOutcome> SendAsync(ReadOnlyMemory<byte> chunk, int attempts, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            WriteOutcome outcome;
            await _concurrency.WaitAsync(ct).ConfigureAwait(false);
            try { outcome = await _http.WriteAsync(chunk, ct).ConfigureAwait(false); }
            finally { _concurrency.Release(); }
            if (outcome.Kind != WriteOutcomeKind.Retryable) return Record(chunk, outcome);
            var delay = Backoff.Delay(attempt, outcome.RetryAfter, _options);
            // A hung server stays hung: after a timeout the batch goes to the spool at once instead of holding the
            // caller (and its unacknowledged MQTT messages) for attempts × RequestTimeout.
            if (attempt >= attempts || delay > _options.MaxRetryDelay || outcome.TimedOut) return Record(chunk, outcome);
            Interlocked.Increment(ref Metrics.Retries);
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
    }

    private WriteOutcome Record(ReadOnlyMemory<byte> chunk, WriteOutcome outcome)
    {
        switch (outcome.Kind)
        {
            case WriteOutcomeKind.Accepted:
                Interlocked.Add(ref Metrics.PointsWritten, Lines.Count(chunk.Span));
                Interlocked.Increment(ref Metrics.BatchesWritten);
                break;
            case WriteOutcomeKind.Partial:
                Interlocked.Add(ref Metrics.PointsWritten, Math.Max(0, Lines.Count(chunk.Span) - outcome.Dropped));
                Interlocked.Add(ref Metrics.PointsDroppedByServer, outcome.Dropped);
                Interlocked.Increment(ref Metrics.PartialWrites);
                Interlocked.Increment(ref Metrics.BatchesWritten);
                Report(new(InfluxWriterEventKind.PointsDropped, $"InfluxDB stored the batch but rejected {outcome.Dropped} point(s): {outcome.Error}", outcome.Dropped));
                break;
            case WriteOutcomeKind.Retryable:
                Report(new(InfluxWriterEventKind.WriteFailed, $"Write to {_options.Url} failed, will retry: {outcome}"));
                break;
            case WriteOutcomeKind.Misconfigured:
                Report(new(InfluxWriterEventKind.Misconfigured, $"InfluxDB refused the write ({outcome}); check Url, Database/bucket, credentials. Data is kept and retried."));
                break;
        }
        return outcome;
    }

    /// <summary>A rejected batch stored nothing: split it so the good lines land and each bad line is reported alone.</summary>
    private async Task BisectAsync(ReadOnlyMemory<byte> chunk, WriteOutcome outcome, Func<ReadOnlyMemory<byte>, CancellationToken, Task> deliver, CancellationToken ct)
    {
        if (Lines.TrySplitInHalf(chunk, out var first, out var second))
        {
            await deliver(first, ct).ConfigureAwait(false);
            await deliver(second, ct).ConfigureAwait(false);
            return;
        }
        Interlocked.Increment(ref Metrics.PointsDroppedByServer);
        var line = Lines.ToText(chunk);
        Report(new(InfluxWriterEventKind.LineRejected, $"InfluxDB rejected a line ({outcome.Status}): {outcome.Error}", 1, line));
    }

    /// <summary>Retries until InfluxDB accepts or rejects for good (no spool, or replaying from it).</summary>
    private async Task SendUntilHandledAsync(ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        for (var round = 1; ; round++)
        {
            var outcome = await SendAsync(chunk, _options.MaxAttempts, ct).ConfigureAwait(false);
            if (outcome.Kind is WriteOutcomeKind.Accepted or WriteOutcomeKind.Partial) return;
            if (outcome.Kind == WriteOutcomeKind.Rejected)
            {
                await BisectAsync(chunk, outcome, SendUntilHandledAsync, ct).ConfigureAwait(false);
                return;
            }
            await Task.Delay(Backoff.Delay(round + _options.MaxAttempts, outcome.RetryAfter, _options, honourLongRetryAfter: true), ct).ConfigureAwait(false);
            await WaitForPingAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task WaitForPingAsync(CancellationToken ct)
    {
        for (var attempt = 1; !await _http.PingAsync(ct).ConfigureAwait(false); attempt++)
            await Task.Delay(Backoff.Delay(attempt, null, _options), ct).ConfigureAwait(false);
    }
}
