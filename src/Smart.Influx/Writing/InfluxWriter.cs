using Smart.Influx.Http;
using Smart.Influx.Spool;

namespace Smart.Influx.Writing;

/// <summary>
/// Writes line-protocol batches so that nothing is lost. <see cref="WriteAsync"/> completes only when the batch is
/// <b>durable</b>: accepted by InfluxDB, or (InfluxDB unreachable, 5xx, 429, timeout after a short bounded retry)
/// appended and fsync'd to the on-disk spool, which a background replayer drains in order when InfluxDB returns.
/// While the spool holds data, new batches queue behind it; when it is full, <see cref="WriteAsync"/> waits
/// (back-pressure) and never drops. Points InfluxDB rejects for good (400 partial write, unparseable or
/// type-conflicting lines) are reported through the event callback and counted, and the pipeline continues.
/// Ordering: batches from one caller arrive in order; concurrent callers and the moment the spool engages may
/// interleave, which is harmless because a point is identified by measurement+tags+time (DESIGN §6).
/// </summary>
public sealed partial class InfluxWriter : IAsyncDisposable
{
    private readonly InfluxOptions _options;
    private readonly InfluxHttp _http;
    private readonly SemaphoreSlim _concurrency;
    private readonly Action<InfluxWriterEvent> _onEvent;
    private readonly DiskSpool? _spool;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _replayer = Task.CompletedTask;

    /// <summary>Opens the spool (replaying what a previous run left) and starts the replayer.</summary>
    /// <param name="options">Validated settings.</param>
    /// <param name="onEvent">Called for spool state changes and rejected points; must be quick and must not throw.</param>
    public InfluxWriter(InfluxOptions options, Action<InfluxWriterEvent>? onEvent = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _onEvent = onEvent ?? (_ => { });
        _http = new InfluxHttp(options);
        _concurrency = new SemaphoreSlim(options.MaxConcurrentWrites);
        if (options.SpoolDirectory is null) return;
        _spool = new DiskSpool(options.SpoolDirectory, options.SpoolMaxBytes, options.BatchMaxBytes, Report);
        Metrics.SpoolBytes = () => _spool.SizeBytes;
        Metrics.Spooling = () => _spool.IsActive;
        Metrics.SpoolFullWaits = () => Interlocked.Read(ref _spool.FullWaits);
        _replayer = Task.Run(() => ReplayLoopAsync(_stopping.Token));
    }

    /// <summary>Counters; take a <see cref="InfluxWriterMetrics.Snapshot"/> to read them.</summary>
    public InfluxWriterMetrics Metrics { get; } = new();

    /// <summary>True while the spool holds data that is not yet in InfluxDB.</summary>
    public bool IsSpooling => _spool?.IsActive ?? false;

    /// <summary>
    /// Completes when every line of <paramref name="lineProtocol"/> is durable (in InfluxDB or the spool) or was
    /// rejected by InfluxDB for good (reported as an event). Bigger batches than <c>BatchMaxBytes</c> are split at
    /// line boundaries. The memory may be reused once the task completes.
    /// </summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> lineProtocol, CancellationToken ct = default)
    {
        while (!lineProtocol.IsEmpty)
        {
            var chunk = Lines.TakeUpTo(lineProtocol, _options.BatchMaxBytes);
            lineProtocol = lineProtocol[chunk.Length..];
            if (_spool is { IsActive: true }) await SpoolAsync(chunk, ct).ConfigureAwait(false);
            else await DeliverAsync(chunk, ct).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        var outcome = await SendAsync(chunk, _options.MaxAttempts, ct).ConfigureAwait(false);
        switch (outcome.Kind)
        {
            case WriteOutcomeKind.Accepted or WriteOutcomeKind.Partial:
                return;
            case WriteOutcomeKind.Rejected:
                await BisectAsync(chunk, outcome, DeliverAsync, ct).ConfigureAwait(false);
                return;
        }
        if (_spool is null) await SendUntilHandledAsync(chunk, ct).ConfigureAwait(false);
        else await SpoolAsync(chunk, ct).ConfigureAwait(false);
    }

    private async Task SpoolAsync(ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        var wasActive = _spool!.IsActive;
        await _spool.AppendAsync(chunk, ct).ConfigureAwait(false);
        Interlocked.Increment(ref Metrics.BatchesSpooled);
        Interlocked.Add(ref Metrics.BytesSpooled, chunk.Length);
        if (!wasActive) Report(new(InfluxWriterEventKind.SpoolStarted, $"InfluxDB at {_options.Url} is not accepting writes; spooling to {_options.SpoolDirectory}."));
    }

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
            if (attempt >= attempts || delay > _options.MaxRetryDelay) return Record(chunk, outcome);
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

    private void Report(InfluxWriterEvent e) => _onEvent(e);

    /// <summary>Stops the replayer; what is still spooled stays on disk for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try { await _replayer.ConfigureAwait(false); }
        catch (OperationCanceledException) { /* stopping */ }
        _spool?.Dispose();
        _http.Dispose();
        _concurrency.Dispose();
        _stopping.Dispose();
    }
}
