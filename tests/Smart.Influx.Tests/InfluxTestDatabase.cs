using Smart.Influx.Query;
using Smart.Testing;

namespace Smart.Influx.Tests;

/// <summary>A fresh database on a shared influxd per test, so tests on one server do not see each other's points.</summary>
public static class InfluxTestDatabase
{
    private static int _next;

    public static async Task<InfluxOptions> CreateAsync(InfluxFixture influx, string prefix, Action<InfluxOptions>? configure = null)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _next)}_{Environment.ProcessId}";
        await influx.QueryAsync($"CREATE DATABASE \"{name}\"", method: HttpMethod.Post);
        var o = new InfluxOptions { Url = new Uri(influx.Url), Database = name, RequestTimeout = TimeSpan.FromSeconds(5) };
        configure?.Invoke(o);
        return o;
    }

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static async Task<long> CountAsync(InfluxQueryClient q, string measurement, string field)
    {
        var s = await q.QueryAsync($"SELECT count(\"{field}\") FROM \"{measurement}\"");
        return s.Count == 0 ? 0 : (long)s[0].Values[0][1]!;
    }
}

/// <summary>One influxd shared by the tests that do not stop it.</summary>
[CollectionDefinition(Name)]
public sealed class SharedInflux : ICollectionFixture<InfluxFixture>
{
    public const string Name = "shared influxd";
}
