using System.Buffers;

namespace Smart.Mqtt.Internal;

/// <summary>Outgoing bytes of one connection. Producers encode packets into the front buffer under <see cref="Sync"/>;
/// the single writer loop swaps buffers and writes everything queued with one socket write + flush, so many
/// acks or QoS 0 publishes coalesce into one syscall.</summary>
internal sealed class MqttWriteBuffer
{
    /// <summary>Above this many queued bytes producers of bulk traffic (QoS 0 publishes) wait for a drain.</summary>
    private const int HighWaterBytes = 1 << 20;
    private readonly SemaphoreSlim _signal = new(0);
    private ArrayBufferWriter<byte> _front = new(64 * 1024);
    private ArrayBufferWriter<byte> _back = new(64 * 1024);
    private TaskCompletionSource? _drained; // FlushAsync: completed when the batch holding its bytes is written
    private TaskCompletionSource? _room;    // producers over the high-water mark: completed when the writer takes the batch
    private int _signalled;
    private bool _failed;

    public object Sync { get; } = new();
    /// <summary>Write target; only touch it while holding <see cref="Sync"/>.</summary>
    public IBufferWriter<byte> Writer => _front;
    public long LastWriteTicks { get; private set; } = Environment.TickCount64;

    /// <summary>Wakes the writer loop; call after releasing <see cref="Sync"/>.</summary>
    public void Signal()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0) _signal.Release();
    }

    /// <summary>Completes at once unless the queue is above the high-water mark; then when the writer drained it.</summary>
    public Task WaitForRoomAsync()
    {
        lock (Sync)
        {
            if (_front.WrittenCount < HighWaterBytes || _failed) return Task.CompletedTask;
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task;
        }
    }

    /// <summary>The writer loop: the only code that writes to the stream.</summary>
    public async Task RunAsync(Stream stream, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(ct).ConfigureAwait(false);
                ArrayBufferWriter<byte> batch;
                TaskCompletionSource? drained, room;
                lock (Sync)
                {
                    Volatile.Write(ref _signalled, 0);
                    batch = _front;
                    (_front, _back) = (_back, _front);
                    drained = _drained;
                    _drained = null;
                    room = _room;
                    _room = null;
                }
                room?.TrySetResult(); // producers refill the other buffer while this one is written
                if (batch.WrittenCount > 0)
                {
                    await stream.WriteAsync(batch.WrittenMemory, ct).ConfigureAwait(false);
                    await stream.FlushAsync(ct).ConfigureAwait(false);
                    LastWriteTicks = Environment.TickCount64;
                }
                batch.ResetWrittenCount();
                drained?.TrySetResult();
            }
        }
        finally
        {
            Fail();
        }
    }

    /// <summary>Called when the connection ends: releases producers waiting for room.</summary>
    public void Fail()
    {
        TaskCompletionSource? drained, room;
        lock (Sync)
        {
            _failed = true;
            drained = _drained;
            _drained = null;
            room = _room;
            _room = null;
        }
        drained?.TrySetResult();
        room?.TrySetResult();
    }

    /// <summary>Waits until everything queued so far has been written (used before a clean close).</summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        Task wait;
        lock (Sync)
        {
            if (_failed) return;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _drained.Task;
        }
        Signal();
        await wait.WaitAsync(timeout).ConfigureAwait(false);
    }
}
