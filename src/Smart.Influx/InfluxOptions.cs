namespace Smart.Influx;

/// <summary>Which InfluxDB write API to speak.</summary>
public enum InfluxApiVersion
{
    /// <summary>1.x: <c>/write?db=..</c>, optional basic auth (<see cref="InfluxOptions.Username"/>/<see cref="InfluxOptions.Password"/>).</summary>
    V1 = 1,

    /// <summary>2.x/3.x: <c>/api/v2/write?bucket=..&amp;org=..</c> with <c>Authorization: Token ..</c>.</summary>
    V2 = 2,
}

/// <summary>Timestamp precision of written points (the <c>precision=</c> write parameter).</summary>
public enum InfluxPrecision
{
    /// <summary>Nanoseconds since the Unix epoch (InfluxDB's native unit).</summary>
    Nanoseconds,

    /// <summary>Microseconds since the Unix epoch.</summary>
    Microseconds,

    /// <summary>Milliseconds since the Unix epoch (DESIGN §6: telemetry timestamps are ms).</summary>
    Milliseconds,

    /// <summary>Seconds since the Unix epoch.</summary>
    Seconds,
}

/// <summary>Connection, batching and spool settings for <c>InfluxWriter</c> and <c>InfluxQueryClient</c>.</summary>
public sealed class InfluxOptions
{
    /// <summary>Base URL, e.g. <c>http://127.0.0.1:8086</c>.</summary>
    public Uri Url { get; set; } = new("http://127.0.0.1:8086");

    /// <summary>Database (v1) or bucket (v2). DESIGN §6: <c>smart</c>.</summary>
    public string Database { get; set; } = "smart";

    /// <summary>Write API version; queries always use <c>/query</c> (InfluxQL, served by 1.x, 2.x and 3.x).</summary>
    public InfluxApiVersion ApiVersion { get; set; } = InfluxApiVersion.V1;

    /// <summary>v2 API token (sent as <c>Authorization: Token ..</c>).</summary>
    public string? Token { get; set; }

    /// <summary>v1 user (sent with <see cref="Password"/> as HTTP basic auth).</summary>
    public string? Username { get; set; }

    /// <summary>v1 password.</summary>
    public string? Password { get; set; }

    /// <summary>v2 organisation.</summary>
    public string? Org { get; set; }

    /// <summary>v1: the retention policy written to (<c>rp=</c>); null writes to the database's default policy.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>Timestamp precision of the written line protocol.</summary>
    public InfluxPrecision Precision { get; set; } = InfluxPrecision.Milliseconds;

    /// <summary>Largest body of one write request; bigger batches are split at line boundaries.
    /// InfluxDB recommends 5 000–10 000 points per request, about 1 MiB of telemetry.</summary>
    public int BatchMaxBytes { get; set; } = 1 << 20;

    /// <summary>Most HTTP write requests in flight at once.</summary>
    public int MaxConcurrentWrites { get; set; } = 4;

    /// <summary>Directory of the on-disk spool; <c>null</c> disables it (then a write retries until InfluxDB accepts it).</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Bound of the spool on disk; when it is full, <c>WriteAsync</c> waits (back-pressure) and never drops.</summary>
    public long SpoolMaxBytes { get; set; } = 1L << 30;

    /// <summary>Send bodies gzip-compressed (<c>Content-Encoding: gzip</c>).</summary>
    public bool Gzip { get; set; }

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts of a write before it goes to the spool (the "short bounded retry").</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubled per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Cap of the retry/replay backoff (also caps a server's <c>Retry-After</c>).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws with a message that says which setting to fix.</summary>
    public void Validate()
    {
        if (!Url.IsAbsoluteUri) throw new ArgumentException($"InfluxOptions.Url must be absolute, got '{Url}'.");
        if (string.IsNullOrWhiteSpace(Database)) throw new ArgumentException("InfluxOptions.Database (v1 database / v2 bucket) is required.");
        if (ApiVersion == InfluxApiVersion.V2 && (string.IsNullOrEmpty(Token) || string.IsNullOrEmpty(Org)))
            throw new ArgumentException("InfluxOptions.ApiVersion = V2 needs Token and Org.");
        if (BatchMaxBytes < 1024) throw new ArgumentException($"InfluxOptions.BatchMaxBytes must be at least 1024, got {BatchMaxBytes}.");
        if (MaxConcurrentWrites < 1) throw new ArgumentException("InfluxOptions.MaxConcurrentWrites must be at least 1.");
        if (MaxAttempts < 1) throw new ArgumentException("InfluxOptions.MaxAttempts must be at least 1.");
        if (SpoolDirectory is not null && SpoolMaxBytes < 4L * BatchMaxBytes)
            throw new ArgumentException($"InfluxOptions.SpoolMaxBytes ({SpoolMaxBytes}) must hold at least 4 batches of BatchMaxBytes ({BatchMaxBytes}).");
    }
}
