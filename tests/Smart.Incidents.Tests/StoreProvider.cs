using Smart.Core.Demo;
using Smart.Incidents;
using Smart.Testing;

namespace Smart.Incidents.Tests;

/// <summary>A clock the tests move by hand: nothing ever sleeps for a deadline.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    /// <summary>Monday 2 March 2026, 10:00 in Shanghai.</summary>
    public static DateTimeOffset DefaultStart { get; } = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    public ManualClock() : this(DefaultStart) { }

    public override DateTimeOffset GetUtcNow() { lock (_lock) return _now; }

    public void Advance(TimeSpan by) { lock (_lock) _now += by; }
}

/// <summary>Makes stores on one backend: each <see cref="CreateAsync"/> a fresh database with the demo district loaded.</summary>
public interface IStoreProvider
{
    string Name { get; }
    Task<IncidentStore> CreateAsync(TimeProvider clock, Action<IncidentStoreOptions>? configure = null);
    /// <summary>A second store (another "host process") on the same database as <paramref name="store"/>.</summary>
    Task<IncidentStore> OpenSiblingAsync(IncidentStore store, TimeProvider clock, string instanceId);
}

public static class District
{
    public static DemoDistrict Demo { get; } = DemoDistrict.Create();
}

public sealed class SqliteProvider : IStoreProvider, IDisposable
{
    private readonly TempDirectory _dir = new();
    private int _n;

    public string Name => "sqlite";

    public async Task<IncidentStore> CreateAsync(TimeProvider clock, Action<IncidentStoreOptions>? configure = null)
    {
        var options = new IncidentStoreOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = $"Data Source={_dir.File($"incidents-{Interlocked.Increment(ref _n)}.db")}",
        };
        configure?.Invoke(options);
        var store = await IncidentStore.OpenAsync(options, clock);
        await store.LoadDistrictAsync(District.Demo);
        return store;
    }

    public Task<IncidentStore> OpenSiblingAsync(IncidentStore store, TimeProvider clock, string instanceId) =>
        IncidentStore.OpenAsync(new IncidentStoreOptions { Provider = store.Options.Provider, ConnectionString = store.Options.ConnectionString, InstanceId = instanceId }, clock);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}

public sealed class PostgresProvider(PostgresFixture postgres) : IStoreProvider
{
    public string Name => "postgres";

    public async Task<IncidentStore> CreateAsync(TimeProvider clock, Action<IncidentStoreOptions>? configure = null)
    {
        var options = new IncidentStoreOptions { Provider = DatabaseProvider.Postgres, ConnectionString = await postgres.CreateDatabaseAsync("incidents") };
        configure?.Invoke(options);
        var store = await IncidentStore.OpenAsync(options, clock);
        await store.LoadDistrictAsync(District.Demo);
        return store;
    }

    public Task<IncidentStore> OpenSiblingAsync(IncidentStore store, TimeProvider clock, string instanceId) =>
        IncidentStore.OpenAsync(new IncidentStoreOptions { Provider = store.Options.Provider, ConnectionString = store.Options.ConnectionString, InstanceId = instanceId }, clock);
}

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
