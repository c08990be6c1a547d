namespace Smart.Influx.Writing;

/// <summary>What an <see cref="InfluxWriterEvent"/> reports.</summary>
public enum InfluxWriterEventKind
{
    /// <summary>InfluxDB is unreachable or failing: batches now go to the disk spool.</summary>
    SpoolStarted,

    /// <summary>The spool was replayed completely; writes go straight to InfluxDB again.</summary>
    SpoolDrained,

    /// <summary>
    /// Spooled points reached InfluxDB (also those spooled before a restart); <see cref="InfluxWriterEvent.FromMs"/> and
    /// <see cref="InfluxWriterEvent.ToMs"/> bound their times, e.g. to recompute rollups that ran before they landed.
    /// </summary>
    Replayed,

    /// <summary>The spool reached <c>SpoolMaxBytes</c>: writers wait (back-pressure) until replay frees space.</summary>
    SpoolFull,

    /// <summary>A spool segment ended in a torn or corrupt record (crash while appending): the rest of it was skipped.</summary>
    SpoolCorrupt,

    /// <summary>InfluxDB stored a batch but rejected some points (400 "partial write"): dead-letter them.</summary>
    PointsDropped,

    /// <summary>InfluxDB rejected one line for good (found by splitting a rejected batch): dead-letter it.</summary>
    LineRejected,

    /// <summary>A write failed and will be retried or spooled (network, timeout, 5xx, 429).</summary>
    WriteFailed,

    /// <summary>401/403/404 or another 4xx: a setting is wrong (token, database). Data is kept and retried.</summary>
    Misconfigured,
}

/// <summary>
/// A notable thing the writer did, for logs, metrics and the bridge's dead-letter store.
/// <see cref="Line"/> holds the rejected line for <see cref="InfluxWriterEventKind.LineRejected"/>; <see cref="FromMs"/>
/// and <see cref="ToMs"/> the time range (Unix ms) of the points of <see cref="InfluxWriterEventKind.Replayed"/>.
/// </summary>
public sealed record InfluxWriterEvent(InfluxWriterEventKind Kind, string Message, long Dropped = 0, string? Line = null, long FromMs = 0, long ToMs = 0);
