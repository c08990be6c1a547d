using System.Threading.Channels;
using Smart.Influx.LineProtocol;

namespace Smart.Influx.Writing;

/// <summary>Size and time triggers of an <see cref="InfluxBatcher"/>.</summary>
public sealed class InfluxBatcherOptions
{
    /// <summary>A batch is written when it holds this many points (InfluxDB recommends 5 000–10 000).</summary>
    public int MaxPoints { get; set; } = 5_000;

    /// <summary>…or this many bytes of line protocol.</summary>
    public int MaxBytes { get; set; } = 1 << 20;

    /// <summary>…or when its first point waited this long (bounds the latency to durable, hence to PUBACK).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Batches being written at once; further full batches wait, the current one keeps growing.</summary>
    public int MaxBatchesInFlight { get; set; } = 4;
}

/// <summary>
/// Collects points into batches and writes each through an <see cref="InfluxWriter"/> when it is full or old enough.
/// <see cref="Add{TState}"/> returns the task of the point's batch, shared by all its points (no per-point
/// allocation): it completes when the batch is durable, so acknowledge the MQTT messages of the batch then.
/// Memory: while writes are stalled (spool full) the current batch keeps growing; the caller bounds it by not
/// acknowledging, which bounds what the broker sends (MQTT receive maximum / in-flight window).
/// </summary>
public sealed class InfluxBatcher : IAsyncDisposable
{
    private sealed class Batch
    {
        public readonly LineProtocolWriter Lines = new();
        public TaskCompletionSource Durable = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long StartedTicks;
    }

    private readonly InfluxWriter _writer;
    private readonly InfluxBatcherOptions _options;
    private readonly object _sync = new();
    private readonly Channel<Batch> _full;
    private readonly Channel<Batch> _free = Channel.CreateUnbounded<Batch>();
    private readonly Task[] _workers;
    private readonly Task _timer;
    private readonly CancellationTokenSource _stopping = new();
    private Batch _current = new();

    /// <summary>Starts <see cref="InfluxBatcherOptions.MaxBatchesInFlight"/> write loops and the time trigger.</summary>
    public InfluxBatcher(InfluxWriter writer, InfluxBatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _options = options ?? new InfluxBatcherOptions();
        _full = Channel.CreateBounded<Batch>(_options.MaxBatchesInFlight);
        _workers = Enumerable.Range(0, _options.MaxBatchesInFlight).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
        _timer = Task.Run(TimerLoopAsync);
    }

    /// <summary>Writes one point via <paramref name="write"/> into the current batch; returns that batch's durability task.</summary>
    public Task Add<TState>(TState state, Action<LineProtocolWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_sync)
        {
            var batch = _current;
            if (batch.Lines.PointCount == 0) batch.StartedTicks = Environment.TickCount64;
            write(batch.Lines, state);
            var durable = batch.Durable.Task;
            if (batch.Lines.PointCount >= _options.MaxPoints || batch.Lines.Length >= _options.MaxBytes) TryHandOffLocked();
            return durable;
        }
    }

    private void TryHandOffLocked()
    {
        if (_current.Lines.PointCount == 0 || !_full.Writer.TryWrite(_current)) return;
        _current = _free.Reader.TryRead(out var reused) ? reused : new Batch();
    }

    private async Task TimerLoopAsync()
    {
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(1, _options.MaxDelay.TotalMilliseconds / 4)));
        while (await tick.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
        {
            lock (_sync)
            {
                if (_current.Lines.PointCount > 0 && Environment.TickCount64 - _current.StartedTicks >= _options.MaxDelay.TotalMilliseconds)
                    TryHandOffLocked();
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var batch in _full.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _writer.WriteAsync(batch.Lines.WrittenMemory, _stopping.Token).ConfigureAwait(false);
                batch.Durable.TrySetResult();
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                batch.Durable.TrySetException(e); // not durable: the caller must not acknowledge
            }
            batch.Lines.Clear();
            batch.Durable = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _free.Writer.TryWrite(batch);
        }
    }

    /// <summary>Writes what is collected, waits for in-flight batches, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_sync)
        {
            // The channel may be full: wait for room so the last points are written, not abandoned.
            while (_current.Lines.PointCount > 0 && !_full.Writer.TryWrite(_current)) Monitor.Wait(_sync, 10);
            _full.Writer.Complete();
        }
        await Task.WhenAll(_workers).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try { await _timer.ConfigureAwait(false); }
        catch (OperationCanceledException) { /* stopping */ }
        _stopping.Dispose();
        _current.Lines.Dispose();
        while (_free.Reader.TryRead(out var b)) b.Lines.Dispose();
    }
}
