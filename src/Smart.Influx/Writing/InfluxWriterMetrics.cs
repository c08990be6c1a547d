namespace Smart.Influx.Writing;

/// <summary>Counters of an <see cref="InfluxWriter"/>, updated with <see cref="Interlocked"/> on the hot path.</summary>
public sealed class InfluxWriterMetrics
{
    internal long PointsWritten;
    internal long BatchesWritten;
    internal long Retries;
    internal long PointsDroppedByServer;
    internal long PartialWrites;
    internal long BatchesSpooled;
    internal long BytesSpooled;
    internal long BatchesReplayed;
    internal Func<long> SpoolFullWaits = () => 0;
    internal Func<long> SpoolBytes = () => 0;
    internal Func<bool> Spooling = () => false;

    /// <summary>A consistent-enough copy of every counter.</summary>
    public InfluxWriterSnapshot Snapshot() => new(
        Interlocked.Read(ref PointsWritten),
        Interlocked.Read(ref BatchesWritten),
        Interlocked.Read(ref Retries),
        Interlocked.Read(ref PointsDroppedByServer),
        Interlocked.Read(ref PartialWrites),
        Interlocked.Read(ref BatchesSpooled),
        Interlocked.Read(ref BytesSpooled),
        Interlocked.Read(ref BatchesReplayed),
        SpoolFullWaits(),
        SpoolBytes(),
        Spooling());
}

/// <summary>Counter values at one moment.</summary>
/// <param name="PointsWritten">Points InfluxDB accepted (directly or by replay).</param>
/// <param name="BatchesWritten">Write requests InfluxDB accepted (204 or partial).</param>
/// <param name="Retries">Write attempts repeated after a retryable failure.</param>
/// <param name="PointsDroppedByServer">Points InfluxDB rejected for good (partial writes and rejected lines).</param>
/// <param name="PartialWrites">400 "partial write" answers.</param>
/// <param name="BatchesSpooled">Batches appended to the disk spool.</param>
/// <param name="BytesSpooled">Bytes appended to the disk spool.</param>
/// <param name="BatchesReplayed">Spooled batches delivered to InfluxDB.</param>
/// <param name="SpoolFullWaits">Times a write waited because the spool was full.</param>
/// <param name="SpoolBytesOnDisk">Current size of the spool on disk.</param>
/// <param name="Spooling">True while the spool holds data (new batches queue behind it).</param>
public sealed record InfluxWriterSnapshot(
    long PointsWritten, long BatchesWritten, long Retries, long PointsDroppedByServer, long PartialWrites,
    long BatchesSpooled, long BytesSpooled, long BatchesReplayed, long SpoolFullWaits, long SpoolBytesOnDisk, bool Spooling);
