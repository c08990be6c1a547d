using System.Diagnostics;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Core.Incidents;
using Smart.Incidents;
using Smart.Testing;

namespace Smart.Benchmarks;

/// <summary>
/// <c>./smart bench incidents [count] [writers]</c>: incidents raised (created + auto-dispatched, each its own
/// transaction with outbox events) per second with concurrent writers, and the p99 latency of a transition
/// (accept/arrive/resolve/close), on SQLite (WAL, file in a temp dir) and on a real PostgreSQL 15 (fsync on).
/// </summary>
public sealed class IncidentsBenchmark : IBenchmark
{
    public string Name => "incidents";

    public async Task<BenchResult> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 2000;
        var writers = args.Length > 1 ? int.Parse(args[1]) : 4;
        var result = new BenchResult(Name);
        using var dir = new TempDirectory();
        var sqlite = await RunOnAsync(new IncidentStoreOptions { ConnectionString = $"Data Source={dir.File("bench.db")}" }, count, writers);
        Report("sqlite", sqlite);
        await using var postgres = new PostgresFixture { Fsync = true };
        await postgres.InitializeAsync();
        var pg = await RunOnAsync(new IncidentStoreOptions { Provider = DatabaseProvider.Postgres, ConnectionString = await postgres.CreateDatabaseAsync("bench") }, count, writers);
        Report("postgres", pg);
        return result.Add("sqlite_incidents_per_s", sqlite.PerSecond).Add("postgres_incidents_per_s", pg.PerSecond)
            .Add("sqlite_p99_ms", sqlite.P99Ms).Add("postgres_p99_ms", pg.P99Ms)
            .Add("incidents", count).Add("writers", writers);
    }

    private sealed record Run(double PerSecond, double P50Ms, double P99Ms, int Transitions);

    private static void Report(string name, Run r) =>
        Console.WriteLine($"{name}: {r.PerSecond:0} incidents/s, transitions p50 {r.P50Ms:0.0} ms p99 {r.P99Ms:0.0} ms ({r.Transitions} transitions)");

    private static async Task<Run> RunOnAsync(IncidentStoreOptions options, int count, int writers)
    {
        var district = DemoDistrict.Create();
        var store = await IncidentStore.OpenAsync(options);
        await store.LoadDistrictAsync(district);
        var alerts = Alerts(district).Take(count).ToList();
        if (alerts.Count < count) throw new ArgumentException($"At most {alerts.Count} distinct device+type pairs in the demo district.");
        var sw = Stopwatch.StartNew();
        var ids = (await InParallelAsync(alerts, writers, async a => (await store.RaiseAsync(a)).Incident)).ToList();
        var perSecond = count / sw.Elapsed.TotalSeconds;
        var people = district.People.ToDictionary(p => p.Id, Actor.Of);
        var latencies = (await InParallelAsync(ids.Take(Math.Min(500, ids.Count)).ToList(), writers, async incident =>
        {
            List<double> ms = [];
            foreach (var (action, actor) in new[]
            {
                (IncidentAction.Accept, people[incident.AssigneeId!]), (IncidentAction.Arrive, people[incident.AssigneeId!]),
                (IncidentAction.Resolve, people[incident.AssigneeId!]), (IncidentAction.Close, people[$"p-{incident.Location.CommunityId}"]),
            })
            {
                var t = Stopwatch.GetTimestamp();
                await store.TransitionAsync(incident.Id, action, actor, "bench");
                ms.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            return ms;
        })).SelectMany(m => m).Order().ToList();
        var events = await store.ReadEventsAsync(0, 100_000);
        if (events.Count != 2 * count + latencies.Count || events[^1].Seq != events.Count)
            throw new InvalidOperationException($"outbox has {events.Count} events (last seq {events[^1].Seq}), expected {2 * count + latencies.Count} without gaps");
        return new Run(perSecond, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count);
    }

    private static IEnumerable<AlertInput> Alerts(DemoDistrict district)
    {
        var now = DateTimeOffset.UtcNow;
        var byKind = IncidentTypes.All.Where(t => t != IncidentTypes.ManualReport).GroupBy(t => t.Split('.')[0]).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var type in byKind.Values.SelectMany(t => t).Distinct())
        foreach (var device in district.Devices)
        {
            var family = type.Split('.')[0];
            if (family == device.Kind.Name() || family is "device" or "sensor")
                yield return new AlertInput(device.Id, type, null, "bench", 1, "bench", now);
        }
    }

    private static async Task<IEnumerable<TResult>> InParallelAsync<T, TResult>(IReadOnlyList<T> items, int writers, Func<T, Task<TResult>> work)
    {
        var next = -1;
        var results = new TResult[items.Count];
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count) results[i] = await work(items[i]);
        })));
        return results;
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
