using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Bridge;

namespace Smart.Host.Telemetry;

public static class TelemetryApi
{
    public sealed record Series(string Metric, IReadOnlyList<double?[]> Points);
    /// <summary>A device's history; <see cref="Source"/> is the retention policy it was read from (<c>raw</c>, <c>rollup_1m</c>, <c>rollup_1h</c>).</summary>
    public sealed record History(string DeviceId, string Kind, string Every, string Source, IReadOnlyList<Series> Series);

    private static readonly Dictionary<string, string> Intervals = new() { ["raw"] = "", ["10s"] = "10s", ["1m"] = "1m", ["5m"] = "5m", ["1h"] = "1h", ["1d"] = "1d" };

    /// <summary>
    /// <c>GET /api/telemetry/{deviceId}?from=&amp;to=&amp;every=1m</c>: a device's history (mean per interval, or raw), within
    /// the caller's scope. Ranges within the raw retention (30 days) read the raw points, fresh to the last reading;
    /// older ranges read the rollups (mean of the 1-minute means for 1m/5m, of the 1-hour means for 1h/1d), since the
    /// raw points are gone there.
    /// </summary>
    public static IEndpointRouteBuilder MapTelemetryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/telemetry/{deviceId}", async Task<Results<Ok<History>, NotFound, ProblemHttpResult>> (
            string deviceId, DateTimeOffset? from, DateTimeOffset? to, string? every, System.Security.Claims.ClaimsPrincipal user,
            DeviceDirectory devices, TelemetryStore store, TimeProvider clock, CancellationToken ct) =>
        {
            var actor = user.GetActor();
            if (actor is null || !devices.TryGet(deviceId, out var device) ||
                !actor.Scope.Covers(new IncidentLocation(device.StreetId, device.CommunityId, device.GridId)))
                return TypedResults.NotFound();
            var end = to ?? clock.GetUtcNow();
            var start = from ?? end.AddHours(-1);
            if (start >= end) return TypedResults.Problem("'from' must be before 'to' / 起始时间须早于结束时间", statusCode: 400);
            every ??= (end - start) > TimeSpan.FromHours(6) ? "5m" : "1m";
            if (!Intervals.TryGetValue(every, out var group))
                return TypedResults.Problem($"'every' must be one of {string.Join(", ", Intervals.Keys)}", statusCode: 400);
            var schema = store.Schema;
            var source = !store.HasRollups || start >= clock.GetUtcNow() - schema.RawRetention ? schema.RawPolicy
                : every is "1h" or "1d" ? schema.HourPolicy : every is "1m" or "5m" ? schema.MinutePolicy : null;
            if (source is null)
                return TypedResults.Problem($"raw readings are kept {schema.RawRetention.TotalDays:0} days: for an older 'from' use every=1m, 5m, 1h or 1d / 原始数据仅保留 {schema.RawRetention.TotalDays:0} 天，更早的时间请用 1m、5m、1h 或 1d 间隔", statusCode: 400);
            var fields = TelemetrySchema.For(device.Kind).Where(f => f.Type is FieldType.Number).Select(f => f.Name).ToList();
            var suffix = source == schema.RawPolicy ? "" : "_mean";
            var select = string.Join(", ", fields.Select(f => group == "" ? $"\"{f}\"" : $"mean(\"{f}{suffix}\") AS \"{f}\""));
            var q = $"SELECT {select} FROM {(store.HasRollups ? $"\"{source}\"." : "")}\"{device.Kind.Name()}\" WHERE \"device\" = $device AND time >= $from AND time < $to"
                + (group == "" ? " LIMIT 10000" : $" GROUP BY time({group}) fill(none)");
            var result = await store.Query.QueryAsync(q, new Dictionary<string, object?>
            {
                ["device"] = device.Id,
                ["from"] = start.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
                ["to"] = end.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            }, ct);
            var series = fields.Select(f => new Series(f, result.SelectMany(s => Enumerable.Range(0, s.Values.Count)
                .Select(row => new[] { s.GetDouble(row, "time"), s.GetDouble(row, f) })).ToList())).ToList();
            return TypedResults.Ok(new History(device.Id, device.Kind.Name(), every, source, series));
        })
        .RequireAuthorization()
        .WithName("GetTelemetry")
        .WithTags("Telemetry");
        return app;
    }
}
