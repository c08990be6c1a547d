using Smart.Core.Incidents;

namespace Smart.Incidents;

/// <summary>Which relational database holds incidents.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded default (WAL mode).</summary>
    Sqlite,
    /// <summary>Production store; safe with several host processes.</summary>
    Postgres,
}

/// <summary>Options of <see cref="IncidentStore"/> (configuration sections <c>Database</c> and <c>Incidents</c>).</summary>
public sealed class IncidentStoreOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>ADO.NET connection string, e.g. <c>Data Source=.smart/incidents.db</c> or <c>Host=…;Database=smart;…</c>.</summary>
    public string ConnectionString { get; set; } = "Data Source=incidents.db";

    /// <summary>Time limits per incident type.</summary>
    public SlaPolicy Sla { get; set; } = new();

    /// <summary>The district's time zone, for the duty roster's local shift times.</summary>
    public string TimeZoneId { get; set; } = "Asia/Shanghai";

    /// <summary>Names this process in timer ownership records (which host escalated what).</summary>
    public string InstanceId { get; set; } = Truncate($"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}", 40);

    /// <summary>A short machine name and a small process id make the id shorter than 40 characters.</summary>
    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..length];

    /// <summary>A device going offline joins its grid's offline incident still being handled and changed within this
    /// long (one power or network cut, one incident for the grid's worker, not one per building).</summary>
    public TimeSpan OutageJoinWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Due timers handled per transaction.</summary>
    public int TimerBatchSize { get; set; } = 100;

    public static DatabaseProvider ParseProvider(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => throw new ArgumentException($"Unknown Database:Provider '{name}'. Use 'sqlite' (default) or 'postgres'."),
    };
}
