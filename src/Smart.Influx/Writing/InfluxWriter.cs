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
    /// line boundaries and sent concurrently. The memory may be reused once the task completes. If
    /// <paramref name="ct"/> cancels the write, nothing is promised about the batch: do not acknowledge its messages.
    /// Thread-safe: call it from several producers at once.
    /// </summary>
    public Task WriteAsync(ReadOnlyMemory<byte> lineProtocol, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (lineProtocol.IsEmpty) return Task.CompletedTask;
        if (lineProtocol.Length <= _options.BatchMaxBytes) return WriteChunkAsync(lineProtocol, ct);
        if (_spool is { IsActive: true }) return WriteChunksInOrderAsync(lineProtocol, ct);
        var chunks = new List<Task>();
        while (!lineProtocol.IsEmpty)
        {
            var chunk = Lines.TakeUpTo(lineProtocol, _options.BatchMaxBytes);
            lineProtocol = lineProtocol[chunk.Length..];
            chunks.Add(WriteChunkAsync(chunk, ct)); // in parallel, bounded by MaxConcurrentWrites
        }
        return Task.WhenAll(chunks);
    }

    private async Task WriteChunksInOrderAsync(ReadOnlyMemory<byte> lineProtocol, CancellationToken ct)
    {
        while (!lineProtocol.IsEmpty)
        {
            var chunk = Lines.TakeUpTo(lineProtocol, _options.BatchMaxBytes);
            lineProtocol = lineProtocol[chunk.Length..];
            await WriteChunkAsync(chunk, ct).ConfigureAwait(false);
        }
    }

    private Task WriteChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken ct) =>
        _spool is { IsActive: true } ? SpoolAsync(chunk, ct) : DeliverAsync(chunk, ct);

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
        var started = await _spool!.AppendAsync(chunk, ct).ConfigureAwait(false);
        Interlocked.Increment(ref Metrics.BatchesSpooled);
        Interlocked.Add(ref Metrics.BytesSpooled, chunk.Length);
        if (started) Report(new(InfluxWriterEventKind.SpoolStarted, $"InfluxDB at {_options.Url} is not accepting writes; spooling to {_options.SpoolDirectory}."));
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
