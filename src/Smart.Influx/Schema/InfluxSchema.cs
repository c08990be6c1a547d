using System.Globalization;
using System.Text;
using Smart.Influx.Query;

namespace Smart.Influx.Schema;

/// <summary>A measurement to roll up and its numeric fields (booleans and strings cannot be averaged).</summary>
public sealed record RollupMeasurement(string Measurement, IReadOnlyList<string> Fields);

/// <summary>Retention policies of the raw data and the rollups (DESIGN §6: raw 30 days, rollups longer).</summary>
public sealed class InfluxSchemaOptions
{
    /// <summary>Default retention policy receiving raw writes.</summary>
    public string RawPolicy { get; set; } = "raw";

    /// <summary>Raw data is kept 30 days.</summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Policy of the 1-minute rollups.</summary>
    public string MinutePolicy { get; set; } = "rollup_1m";

    /// <summary>1-minute rollups are kept a year.</summary>
    public TimeSpan MinuteRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Policy of the 1-hour rollups.</summary>
    public string HourPolicy { get; set; } = "rollup_1h";

    /// <summary>1-hour rollups are kept five years.</summary>
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(5 * 365);

    /// <summary>How far back each 1-minute CQ run recomputes, so late points (device clocks, spool replay) are rolled up too.</summary>
    public TimeSpan MinuteResampleFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back each 1-hour CQ run recomputes.</summary>
    public TimeSpan HourResampleFor { get; set; } = TimeSpan.FromHours(3);
}

/// <summary>
/// Idempotent start-up schema for InfluxDB 1.x: database, retention policies (created, or altered when they
/// differ) and per-measurement continuous queries writing <c>{field}_mean</c>, <c>_min</c>, <c>_max</c> into the
/// same measurement name under the rollup policies (<c>SELECT * FROM "rollup_1m"."fire"</c>).
/// influxd 1.6.7 (checked): CREATE DATABASE and an identical CREATE RETENTION POLICY / CONTINUOUS QUERY succeed
/// again; a different one fails with "already exists", so a policy is then ALTERed and a CQ dropped and recreated.
/// </summary>
public static class InfluxSchema
{
    /// <summary>Creates or updates everything; safe to run at every start-up, also concurrently with writes.</summary>
    public static async Task EnsureAsync(InfluxQueryClient client, string database, IEnumerable<RollupMeasurement> rollups,
        InfluxSchemaOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var o = options ?? new InfluxSchemaOptions();
        var db = Ident(database);
        await client.ExecuteAsync($"CREATE DATABASE {db}", ct: ct).ConfigureAwait(false);
        await EnsurePolicyAsync(client, db, o.RawPolicy, o.RawRetention, isDefault: true, ct).ConfigureAwait(false);
        await EnsurePolicyAsync(client, db, o.MinutePolicy, o.MinuteRetention, isDefault: false, ct).ConfigureAwait(false);
        await EnsurePolicyAsync(client, db, o.HourPolicy, o.HourRetention, isDefault: false, ct).ConfigureAwait(false);
        foreach (var r in rollups)
        {
            if (r.Fields.Count == 0) continue;
            await EnsureQueryAsync(client, db, $"{r.Measurement}_1m", ContinuousQuery(db, r, o.MinutePolicy, o.RawPolicy, "1m", o.MinuteResampleFor, $"{r.Measurement}_1m"), ct).ConfigureAwait(false);
            await EnsureQueryAsync(client, db, $"{r.Measurement}_1h", ContinuousQuery(db, r, o.HourPolicy, o.RawPolicy, "1h", o.HourResampleFor, $"{r.Measurement}_1h"), ct).ConfigureAwait(false);
        }
    }

    private static async Task EnsurePolicyAsync(InfluxQueryClient client, string db, string policy, TimeSpan duration, bool isDefault, CancellationToken ct)
    {
        var spec = $"ON {db} DURATION {Duration(duration)} REPLICATION 1{(isDefault ? " DEFAULT" : "")}";
        try
        {
            await client.ExecuteAsync($"CREATE RETENTION POLICY {Ident(policy)} {spec}", ct: ct).ConfigureAwait(false);
        }
        catch (InfluxQueryException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            await client.ExecuteAsync($"ALTER RETENTION POLICY {Ident(policy)} {spec}", ct: ct).ConfigureAwait(false);
        }
    }

    private static async Task EnsureQueryAsync(InfluxQueryClient client, string db, string name, string create, CancellationToken ct)
    {
        try
        {
            await client.ExecuteAsync(create, ct: ct).ConfigureAwait(false);
        }
        catch (InfluxQueryException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            // Same name, different definition (fields changed): replace it. The next run covers RESAMPLE FOR, so no gap.
            await client.ExecuteAsync($"DROP CONTINUOUS QUERY {Ident(name)} ON {db}", ct: ct).ConfigureAwait(false);
            await client.ExecuteAsync(create, ct: ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Recomputes the rollups of [<paramref name="from"/>, <paramref name="to"/>): continuous queries only look back
    /// <c>ResampleFor</c>, so after a long outage replayed from the spool, call this for the outage window.
    /// </summary>
    public static async Task BackfillRollupsAsync(InfluxQueryClient client, string database, IEnumerable<RollupMeasurement> rollups,
        DateTimeOffset from, DateTimeOffset to, InfluxSchemaOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var o = options ?? new InfluxSchemaOptions();
        var db = Ident(database);
        var window = new Dictionary<string, object?> { ["from"] = from, ["to"] = to };
        foreach (var r in rollups.Where(r => r.Fields.Count > 0))
        {
            await client.ExecuteAsync(SelectInto(db, r, o.MinutePolicy, o.RawPolicy, "1m", " WHERE time >= $from AND time < $to"), window, ct).ConfigureAwait(false);
            await client.ExecuteAsync(SelectInto(db, r, o.HourPolicy, o.RawPolicy, "1h", " WHERE time >= $from AND time < $to"), window, ct).ConfigureAwait(false);
        }
    }

    private static string ContinuousQuery(string db, RollupMeasurement r, string into, string from, string every, TimeSpan resampleFor, string name) =>
        $"CREATE CONTINUOUS QUERY {Ident(name)} ON {db} RESAMPLE EVERY {every} FOR {Duration(resampleFor)} BEGIN {SelectInto(db, r, into, from, every, "")} END";

    private static string SelectInto(string db, RollupMeasurement r, string into, string from, string every, string where)
    {
        var select = new StringBuilder();
        foreach (var f in r.Fields)
        {
            if (select.Length > 0) select.Append(", ");
            select.Append(CultureInfo.InvariantCulture, $"mean({Ident(f)}) AS {Ident(f + "_mean")}, min({Ident(f)}) AS {Ident(f + "_min")}, max({Ident(f)}) AS {Ident(f + "_max")}");
        }
        var m = Ident(r.Measurement);
        return $"SELECT {select} INTO {db}.{Ident(into)}.{m} FROM {db}.{Ident(from)}.{m}{where} GROUP BY time({every}), *";
    }

    /// <summary>An InfluxQL duration literal in whole minutes (30d → 43200m).</summary>
    private static string Duration(TimeSpan t) => t.TotalMinutes % (60 * 24) == 0
        ? $"{(long)t.TotalDays}d"
        : $"{(long)Math.Ceiling(t.TotalMinutes)}m";

    /// <summary>A double-quoted InfluxQL identifier (quotes and backslashes escaped).</summary>
    public static string Ident(string name) => "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
