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
    public sealed record History(string DeviceId, string Kind, string Every, IReadOnlyList<Series> Series);

    private static readonly Dictionary<string, string> Intervals = new() { ["raw"] = "", ["10s"] = "10s", ["1m"] = "1m", ["5m"] = "5m", ["1h"] = "1h", ["1d"] = "1d" };

    /// <summary><c>GET /api/telemetry/{deviceId}?from=&amp;to=&amp;every=1m</c>: a device's history (mean per interval, or raw), within the caller's scope.</summary>
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
            var fields = TelemetrySchema.For(device.Kind).Where(f => f.Type is FieldType.Number).Select(f => f.Name).ToList();
            var select = string.Join(", ", fields.Select(f => group == "" ? $"\"{f}\"" : $"mean(\"{f}\") AS \"{f}\""));
            var q = $"SELECT {select} FROM \"{device.Kind.Name()}\" WHERE \"device\" = $device AND time >= $from AND time < $to"
                + (group == "" ? " LIMIT 10000" : $" GROUP BY time({group}) fill(none)");
            var result = await store.Query.QueryAsync(q, new Dictionary<string, object?>
            {
                ["device"] = device.Id,
                ["from"] = start.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
                ["to"] = end.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            }, ct);
            var series = fields.Select(f => new Series(f, result.SelectMany(s => Enumerable.Range(0, s.Values.Count)
                .Select(row => new[] { s.GetDouble(row, "time"), s.GetDouble(row, f) })).ToList())).ToList();
            return TypedResults.Ok(new History(device.Id, device.Kind.Name(), every, series));
        })
        .RequireAuthorization()
        .WithName("GetTelemetry")
        .WithTags("Telemetry");
        return app;
    }
}
