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

/// <summary>
/// SQLite stores in temp files. The first store of the run migrates a fresh file and loads the district; later ones
/// start from a copy of it (the machine is shared: per-test setup must stay cheap).
/// </summary>
public sealed class SqliteProvider : IStoreProvider, IDisposable
{
    private static readonly TempDirectory TemplateDir = new();
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);
    private readonly TempDirectory _dir = new();
    private int _n;

    public string Name => "sqlite";

    private static async Task<string> CreateTemplateAsync()
    {
        var path = TemplateDir.File("template.db");
        var store = await IncidentStore.OpenAsync(new IncidentStoreOptions { ConnectionString = $"Data Source={path}" });
        await store.LoadDistrictAsync(District.Demo);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // last connection closed: WAL checkpointed into the file
        return path;
    }

    public async Task<IncidentStore> CreateAsync(TimeProvider clock, Action<IncidentStoreOptions>? configure = null)
    {
        var path = _dir.File($"incidents-{Interlocked.Increment(ref _n)}.db");
        File.Copy(await Template.Value, path);
        var options = new IncidentStoreOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={path}" };
        configure?.Invoke(options);
        return await IncidentStore.OpenAsync(options, clock);
    }

    public Task<IncidentStore> OpenSiblingAsync(IncidentStore store, TimeProvider clock, string instanceId) =>
        IncidentStore.OpenAsync(new IncidentStoreOptions { Provider = store.Options.Provider, ConnectionString = store.Options.ConnectionString, InstanceId = instanceId }, clock);

    public void Dispose() => _dir.Dispose();
}

/// <summary>
/// PostgreSQL databases in the shared server. The first is migrated and loaded by the store itself; the others are
/// <c>CREATE DATABASE … TEMPLATE</c> copies of it.
/// </summary>
public sealed class PostgresProvider(PostgresFixture postgres) : IStoreProvider
{
    private static readonly Dictionary<PostgresFixture, Task<string>> Templates = [];
    private static int _n;

    public string Name => "postgres";

    private Task<string> TemplateAsync()
    {
        lock (Templates)
        {
            if (!Templates.TryGetValue(postgres, out var template)) Templates[postgres] = template = CreateTemplateAsync();
            return template;
        }
    }

    private async Task<string> CreateTemplateAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("template");
        var store = await IncidentStore.OpenAsync(new IncidentStoreOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString });
        await store.LoadDistrictAsync(District.Demo);
        await using (var c = new Npgsql.NpgsqlConnection(connectionString)) Npgsql.NpgsqlConnection.ClearPool(c); // a template must have no sessions
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
    }

    public async Task<IncidentStore> CreateAsync(TimeProvider clock, Action<IncidentStoreOptions>? configure = null)
    {
        var template = await TemplateAsync();
        var name = $"incidents_{Interlocked.Increment(ref _n)}";
        await using (var admin = new Npgsql.NpgsqlConnection(postgres.ConnectionString()))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var options = new IncidentStoreOptions { Provider = DatabaseProvider.Postgres, ConnectionString = postgres.ConnectionString(name) };
        configure?.Invoke(options);
        return await IncidentStore.OpenAsync(options, clock);
    }

    public Task<IncidentStore> OpenSiblingAsync(IncidentStore store, TimeProvider clock, string instanceId) =>
        IncidentStore.OpenAsync(new IncidentStoreOptions { Provider = store.Options.Provider, ConnectionString = store.Options.ConnectionString, InstanceId = instanceId }, clock);
}

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
