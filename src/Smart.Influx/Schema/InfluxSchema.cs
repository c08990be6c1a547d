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

    /// <summary>How often the 1-hour CQ runs: the current hour's buckets are at most this stale.</summary>
    public TimeSpan HourResampleEvery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back each 1-hour CQ run recomputes (from the 1-minute rollups): the last complete hour and the current one.</summary>
    public TimeSpan HourResampleFor { get; set; } = TimeSpan.FromHours(2);
}

/// <summary>
/// Idempotent start-up schema for InfluxDB 1.x: database, retention policies (created, or altered when they
/// differ) and per-measurement continuous queries writing <c>{field}_mean</c>, <c>_min</c>, <c>_max</c> into the
/// same measurement name under the rollup policies (<c>SELECT * FROM "rollup_1m"."fire"</c>).
/// The 1-minute rollups are written by the application, which sees every point as it passes: a continuous query would
/// read every raw point again, at 11–13 µs of influxd's CPU per point read (as much as storing it; RESULTS.md, ingest).
/// An older schema's 1-minute CQ is dropped. <see cref="BackfillRollupsAsync"/> recomputes them from the raw points
/// for what the application could not count. The 1-hour rollups come from a CQ over the 1-minute ones: 60× less to
/// read, min and max are exact, and the mean is the mean of the minutes — time-weighted, which for devices that report
/// more often while a value changes is the better hourly average (a sample-weighted mean over-counts the minutes of change).
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
            await DropQueryAsync(client, db, $"{r.Measurement}_1m", ct).ConfigureAwait(false);
            await EnsureQueryAsync(client, db, $"{r.Measurement}_1h",
                ContinuousQuery(db, $"{r.Measurement}_1h", o.HourResampleEvery, o.HourResampleFor, HourSelect(db, r, o, "")), ct).ConfigureAwait(false);
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

    private static async Task DropQueryAsync(InfluxQueryClient client, string db, string name, CancellationToken ct)
    {
        // influxd 1.6.7 answers DROP CONTINUOUS QUERY of an unknown name with "continuous query not found".
        try { await client.ExecuteAsync($"DROP CONTINUOUS QUERY {Ident(name)} ON {db}", ct: ct).ConfigureAwait(false); }
        catch (InfluxQueryException e) when (e.Message.Contains("not found", StringComparison.Ordinal)) { }
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
    /// Recomputes the rollups of the points whose time lies in [<paramref name="from"/>, <paramref name="to"/>] from the
    /// raw points: the minutes touching the range first, then the whole hours touching it from them. With
    /// <paramref name="tag"/>, only the series with that tag value (one device's), which costs a read of its points only.
    /// </summary>
    public static async Task BackfillRollupsAsync(InfluxQueryClient client, string database, IEnumerable<RollupMeasurement> rollups,
        DateTimeOffset from, DateTimeOffset to, InfluxSchemaOptions? options = null, KeyValuePair<string, string>? tag = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var o = options ?? new InfluxSchemaOptions();
        var db = Ident(database);
        var minutes = Buckets(from, to, TimeSpan.FromMinutes(1));
        var hours = Buckets(from, to, TimeSpan.FromHours(1));
        var window = " WHERE time >= $from AND time < $to";
        if (tag is { } t)
        {
            window += $" AND {Ident(t.Key)} = $tag";
            minutes["tag"] = hours["tag"] = t.Value;
        }
        foreach (var r in rollups.Where(r => r.Fields.Count > 0))
        {
            await client.ExecuteAsync(MinuteSelect(db, r, o, window), minutes, ct).ConfigureAwait(false);
            await client.ExecuteAsync(HourSelect(db, r, o, window), hours, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The query parameters of the whole buckets of <paramref name="size"/> that [from, to] touches.</summary>
    private static Dictionary<string, object?> Buckets(DateTimeOffset from, DateTimeOffset to, TimeSpan size)
    {
        var start = from.UtcTicks / size.Ticks * size.Ticks;
        var end = (to.UtcTicks / size.Ticks + 1) * size.Ticks;
        return new() { ["from"] = new DateTimeOffset(start, TimeSpan.Zero), ["to"] = new DateTimeOffset(end, TimeSpan.Zero) };
    }

    private static string ContinuousQuery(string db, string name, TimeSpan every, TimeSpan resampleFor, string select) =>
        $"CREATE CONTINUOUS QUERY {Ident(name)} ON {db} RESAMPLE EVERY {Duration(every)} FOR {Duration(resampleFor)} BEGIN {select} END";

    /// <summary>Raw points → per-minute mean, min and max of each field.</summary>
    private static string MinuteSelect(string db, RollupMeasurement r, InfluxSchemaOptions o, string where) =>
        SelectInto(db, r, o.MinutePolicy, o.RawPolicy, "1m", where, f => (f, f, f));

    /// <summary>1-minute rollups → per-hour mean of the minute means, min of the minimums, max of the maximums.</summary>
    private static string HourSelect(string db, RollupMeasurement r, InfluxSchemaOptions o, string where) =>
        SelectInto(db, r, o.HourPolicy, o.MinutePolicy, "1h", where, f => (f + "_mean", f + "_min", f + "_max"));

    private static string SelectInto(string db, RollupMeasurement r, string into, string from, string every, string where,
        Func<string, (string Mean, string Min, string Max)> sources)
    {
        var select = new StringBuilder();
        foreach (var f in r.Fields)
        {
            var (mean, min, max) = sources(f);
            if (select.Length > 0) select.Append(", ");
            select.Append(CultureInfo.InvariantCulture, $"mean({Ident(mean)}) AS {Ident(f + "_mean")}, min({Ident(min)}) AS {Ident(f + "_min")}, max({Ident(max)}) AS {Ident(f + "_max")}");
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
