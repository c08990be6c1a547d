using Smart.Influx.Writing;

namespace Smart.Influx.Spool;

internal sealed partial class DiskSpool
{
    private readonly List<(string Path, long Length)> _fullyRead = [];
    private FileStream? _reader;
    private byte[] _record = new byte[64 * 1024];

    /// <summary>
    /// The next record, oldest first; valid until the next call. False when nothing is spooled. Nothing is deleted
    /// until <see cref="CommitRead"/>, so records read ahead and sent concurrently survive a crash.
    /// </summary>
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
                CloseReaderLocked();
            }
        }
    }

    /// <summary>Every record read so far was handled by InfluxDB: delete the segments they came from, freeing space.</summary>
    public void CommitRead()
    {
        lock (_sync)
        {
            if (_reader is not null && _reader.Position >= _reader.Length) CloseReaderLocked();
            if (_fullyRead.Count == 0) return;
            foreach (var (path, length) in _fullyRead)
            {
                File.Delete(path);
                _size -= length;
            }
            _fullyRead.Clear();
            _fullReported = false;
            _spaceFreed.TrySetResult();
            _spaceFreed = NewSignal();
        }
    }

    private void CloseReaderLocked()
    {
        _fullyRead.Add((_sealed.Dequeue(), _reader!.Length));
        _reader.Dispose();
        _reader = null;
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
        var r = _reader!;
        while (true)
        {
            var start = r.Position;
            var left = r.Length - start;
            if (left == 0)
            {
                record = default;
                return false;
            }
            if (TryReadRecord(r, left, out record)) return true;
            var next = FindNextRecord(r, start + 1);
            _report(new(InfluxWriterEventKind.SpoolCorrupt,
                $"Spool segment {r.Name} has a torn or corrupt record at byte {start} (a crash while appending); skipped {(next < 0 ? left : next - start)} bytes, replaying the rest."));
            r.Position = next < 0 ? r.Length : next;
        }
    }

    private bool TryReadRecord(FileStream r, long left, out ReadOnlyMemory<byte> record)
    {
        record = default;
        if (left < SpoolFrame.HeaderBytes) return false;
        Span<byte> header = stackalloc byte[SpoolFrame.HeaderBytes];
        r.ReadExactly(header);
        var length = SpoolFrame.PayloadLength(header, left);
        if (length < 0) return false;
        if (_record.Length < length) _record = new byte[Math.Max(length, _record.Length * 2)];
        r.ReadExactly(_record, 0, length);
        if (!SpoolFrame.CrcMatches(header, _record.AsSpan(0, length))) return false;
        record = _record.AsMemory(0, length);
        return true;
    }

    /// <summary>After a corrupt record, the offset of the next intact one (magic, length and CRC check out), or -1.</summary>
    private static long FindNextRecord(FileStream r, long from)
    {
        var rest = new byte[r.Length - from];
        r.Position = from;
        r.ReadExactly(rest);
        Span<byte> magic = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(magic, SpoolFrame.Magic);
        for (var i = rest.AsSpan().IndexOf(magic); i >= 0;)
        {
            var candidate = rest.AsSpan(i);
            var length = candidate.Length < SpoolFrame.HeaderBytes ? -1 : SpoolFrame.PayloadLength(candidate, candidate.Length);
            if (length >= 0 && SpoolFrame.CrcMatches(candidate, candidate.Slice(SpoolFrame.HeaderBytes, length))) return from + i;
            var next = rest.AsSpan(i + 1).IndexOf(magic);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return -1;
    }
}
