using Smart.Influx.Writing;

namespace Smart.Influx.Spool;

internal sealed partial class DiskSpool
{
    private FileStream? _reader;
    private byte[] _record = new byte[64 * 1024];

    /// <summary>The next record, oldest first; valid until the next call. False when nothing is spooled.</summary>
    public bool TryReadNext(out ReadOnlyMemory<byte> record)
    {
        lock (_sync)
        {
            while (true)
            {
                if (_reader is null && !TryOpenOldestLocked())
                {
                    record = default;
                    return false;
                }
                if (TryReadRecordLocked(out record)) return true;
                FinishSegmentLocked();
            }
        }
    }

    /// <summary>The last record read was handled: delete its segment when it was the segment's last.</summary>
    public void ConsumeCurrent()
    {
        lock (_sync)
        {
            if (_reader is not null && _reader.Position >= _reader.Length) FinishSegmentLocked();
        }
    }

    private bool TryOpenOldestLocked()
    {
        if (_sealed.Count == 0)
        {
            if (_active is not { Length: > 0 }) return false;
            RotateLocked(openNew: false); // seal the segment being appended to; the next append starts a new one
        }
        _reader = new FileStream(_sealed.Peek(), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        return true;
    }

    private bool TryReadRecordLocked(out ReadOnlyMemory<byte> record)
    {
        record = default;
        var r = _reader!;
        var start = r.Position;
        var left = r.Length - start;
        if (left == 0) return false;
        Span<byte> header = stackalloc byte[SpoolFrame.HeaderBytes];
        var length = left < SpoolFrame.HeaderBytes ? -1 : ReadHeader(r, header, left);
        if (length >= 0)
        {
            if (_record.Length < length) _record = new byte[Math.Max(length, _record.Length * 2)];
            r.ReadExactly(_record, 0, length);
            if (SpoolFrame.CrcMatches(header, _record.AsSpan(0, length)))
            {
                record = _record.AsMemory(0, length);
                return true;
            }
        }
        _report(new(InfluxWriterEventKind.SpoolCorrupt,
            $"Spool segment {r.Name} has a torn or corrupt record at byte {start} (a crash while appending); skipped its last {left} bytes, replaying the rest."));
        r.Position = r.Length;
        return false;
    }

    private static int ReadHeader(FileStream r, Span<byte> header, long left)
    {
        r.ReadExactly(header);
        return SpoolFrame.PayloadLength(header, left);
    }

    private void FinishSegmentLocked()
    {
        var path = _sealed.Dequeue();
        var length = _reader!.Length;
        _reader.Dispose();
        _reader = null;
        File.Delete(path);
        _size -= length;
        _fullReported = false;
        _spaceFreed.TrySetResult();
        _spaceFreed = NewSignal();
    }
}
