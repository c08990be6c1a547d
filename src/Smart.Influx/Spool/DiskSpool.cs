using Smart.Influx.Writing;

namespace Smart.Influx.Spool;

/// <summary>
/// Bounded, append-only, fsync'd spool of write batches in segment files (<c>00000000000000000001.spool</c>, …).
/// Appends go to the newest segment; the single reader (the replayer) reads the oldest, sealing the newest
/// first when it gets there, and deletes a segment once all its records were handled, which frees space.
/// A crash can leave a segment with a torn last record: the CRC framing (<see cref="SpoolFrame"/>) detects it and
/// the rest of that segment is skipped and reported. A crash after a record was sent but before its segment was
/// deleted replays it again, which InfluxDB absorbs (points are idempotent by measurement+tags+time).
/// </summary>
internal sealed partial class DiskSpool : IDisposable
{
    private const string Extension = ".spool";
    private readonly object _sync = new();
    private readonly string _dir;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly Action<InfluxWriterEvent> _report;
    private readonly Queue<string> _sealed = new();
    private readonly FileStream _dirLock;
    private FileStream? _active;
    private string? _activePath;
    private long _nextSegment;
    private long _size;
    private bool _isActive;
    private bool _fullReported;
    private TaskCompletionSource _dataAppended = NewSignal();
    private TaskCompletionSource _spaceFreed = NewSignal();

    public DiskSpool(string dir, long maxBytes, int batchMaxBytes, Action<InfluxWriterEvent> report)
    {
        _dir = dir;
        _maxBytes = maxBytes;
        _segmentBytes = Math.Clamp(maxBytes / 64, batchMaxBytes, 16L << 20);
        _report = report;
        Directory.CreateDirectory(dir);
        _dirLock = LockDirectory(dir);
        OpenExisting();
    }

    /// <summary>Bytes of segment files on disk.</summary>
    public long SizeBytes => Interlocked.Read(ref _size);

    /// <summary>True from the first append until the reader found the spool empty.</summary>
    public bool IsActive => Volatile.Read(ref _isActive);

    /// <summary>Writers that waited because the spool was full.</summary>
    public long FullWaits;

    /// <summary>Completes at the next append.</summary>
    public Task WhenDataAppended { get { lock (_sync) return _dataAppended.Task; } }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Two writers on one spool would interleave and delete each other's segments: one owner per directory.</summary>
    private static FileStream LockDirectory(string dir)
    {
        try
        {
            return new FileStream(Path.Combine(dir, "spool.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"Spool directory {dir} is in use by another InfluxWriter or process; give each its own SpoolDirectory.", e);
        }
    }

    private void OpenExisting()
    {
        var files = Directory.GetFiles(_dir, "*" + Extension).Order(StringComparer.Ordinal).ToList();
        foreach (var f in files)
        {
            var length = new FileInfo(f).Length;
            if (length == 0) { File.Delete(f); continue; }
            _sealed.Enqueue(f);
            _size += length;
        }
        _nextSegment = files.Count == 0 ? 1 : long.Parse(Path.GetFileNameWithoutExtension(files[^1])) + 1;
        _isActive = _sealed.Count > 0;
        if (_isActive)
            _report(new(InfluxWriterEventKind.SpoolStarted, $"Spool {_dir} holds {_size} bytes from a previous run; replaying them first."));
    }

    /// <summary>Appends and fsyncs one batch; waits while the spool is full (back-pressure, never drops).
    /// True when this append switched the spool on.</summary>
    public async Task<bool> AppendAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var frame = SpoolFrame.HeaderBytes + payload.Length;
        while (true)
        {
            Task space;
            lock (_sync)
            {
                if (_size == 0 || _size + frame <= _maxBytes)
                {
                    var started = !_isActive;
                    AppendLocked(payload.Span);
                    return started;
                }
                space = _spaceFreed.Task;
                Interlocked.Increment(ref FullWaits);
                if (!_fullReported)
                {
                    _fullReported = true;
                    _report(new(InfluxWriterEventKind.SpoolFull, $"Spool {_dir} is full ({_size} of {_maxBytes} bytes); writes wait until InfluxDB takes the backlog. Raise SpoolMaxBytes or fix InfluxDB."));
                }
            }
            await space.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void AppendLocked(ReadOnlySpan<byte> payload)
    {
        // A segment stays within _segmentBytes (unless one record is bigger), so replay frees space in small steps.
        if (_active is null || (_active.Length > 0 && _active.Length + SpoolFrame.HeaderBytes + payload.Length > _segmentBytes))
            RotateLocked(openNew: true);
        var stream = _active!;
        var start = stream.Length;
        Span<byte> header = stackalloc byte[SpoolFrame.HeaderBytes];
        SpoolFrame.WriteHeader(header, payload);
        try
        {
            stream.Write(header);
            stream.Write(payload);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Disk full or I/O error: cut the half-written record so later appends stay readable.
            stream.SetLength(start);
            throw;
        }
        _size += stream.Length - start;
        Volatile.Write(ref _isActive, true);
        _dataAppended.TrySetResult();
        _dataAppended = NewSignal();
    }

    private void RotateLocked(bool openNew)
    {
        if (_active is not null)
        {
            _active.Dispose();
            _sealed.Enqueue(_activePath!);
            _active = null;
        }
        if (!openNew) return;
        _activePath = Path.Combine(_dir, $"{_nextSegment++:D20}{Extension}");
        _active = new FileStream(_activePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        DirectorySync.Flush(_dir);
    }

    /// <summary>Leaves spool mode if nothing is left to replay; true when it did.</summary>
    public bool TryDeactivateWhenEmpty()
    {
        lock (_sync)
        {
            if (_sealed.Count > 0 || _fullyRead.Count > 0 || _reader is not null || _active is { Length: > 0 } || !_isActive) return false;
            Volatile.Write(ref _isActive, false);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _active?.Dispose();
            _reader?.Dispose();
            _active = null;
            _reader = null;
            _dirLock.Dispose();
        }
    }
}
