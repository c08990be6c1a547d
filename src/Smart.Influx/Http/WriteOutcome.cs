namespace Smart.Influx.Http;

/// <summary>How InfluxDB answered one write request.</summary>
internal enum WriteOutcomeKind
{
    /// <summary>204: every point stored.</summary>
    Accepted,

    /// <summary>400 "partial write": the good points are stored, the rest rejected for good.</summary>
    Partial,

    /// <summary>400/413 for the whole body: nothing stored; split it to save the good lines.</summary>
    Rejected,

    /// <summary>Network error, timeout, 408, 429, 5xx: try again later.</summary>
    Retryable,

    /// <summary>401/403/404 (auth, database not found) and other 4xx: retrying soon will not help,
    /// but the data is good, so it is kept (spool) until an operator fixes the setting.</summary>
    Misconfigured,
}

/// <summary>The classified answer to a write: kind, status, server error text, dropped count and Retry-After.</summary>
internal readonly record struct WriteOutcome(WriteOutcomeKind Kind, int Status, string? Error, long Dropped = 0, TimeSpan? RetryAfter = null, bool TimedOut = false)
{
    public static readonly WriteOutcome Ok = new(WriteOutcomeKind.Accepted, 204, null);

    public override string ToString() => $"{Kind} ({(Status == 0 ? "no response" : Status.ToString())}): {Error}";
}
