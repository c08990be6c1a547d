using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Smart.Incidents.Data;

/// <summary>What a directory change notification is about.</summary>
internal enum DirectoryEntry { Person, Device, Place }

/// <summary>What differs between SQLite and PostgreSQL: connections, write locking, row-lock clauses, migrations.</summary>
internal abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>Appended to a SELECT that claims due timers (one owner per timer across processes).</summary>
    public abstract string SkipLocked { get; }

    /// <summary>
    /// Appended to a one-table SELECT of a place a write depends on (a device's building and the places above it): waits for
    /// another process's move of that place to commit, and then reads where it went.
    /// </summary>
    public abstract string ShareLock { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// <c>column IN (list)</c> for a list parameter: Dapper expands lists for SQLite but passes them to Npgsql as a
    /// PostgreSQL array, which needs <c>= ANY(@p)</c>.
    /// </summary>
    public abstract string In(string column, string parameter);

    /// <summary>
    /// Starts a write transaction holding the outbox counter lock, so writers are serialized and seq is gap-free in
    /// commit order (a reader that saw seq N never later finds an N−1 committed behind it).
    /// </summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// An in-process gate taken before a write transaction begins (disposed after it ends): SQLite's busy handler in
    /// Microsoft.Data.Sqlite retries a locked database only every 150 ms, so writers in one process queue here instead.
    /// </summary>
    public virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>Tells other processes, at commit, that events up to <paramref name="seq"/> exist (PostgreSQL NOTIFY).</summary>
    public virtual Task NotifyAsync(DbConnection connection, DbTransaction tx, long seq) => Task.CompletedTask;

    /// <summary>Tells other processes, at commit (or at once without <paramref name="tx"/>), that a person, device or place was
    /// added or changed (PostgreSQL NOTIFY).</summary>
    public virtual Task NotifyDirectoryChangedAsync(DbConnection connection, DbTransaction? tx, DirectoryEntry entry, string id) => Task.CompletedTask;

    /// <summary>
    /// Calls <paramref name="onSeq"/> for every other process's commit of incident events and awaits
    /// <paramref name="onChanged"/> for every person or device another process changed, until cancelled (PostgreSQL
    /// LISTEN); <paramref name="onListening"/> runs once listening, for what was missed before. SQLite: returns at once.
    /// </summary>
    public virtual Task ListenAsync(Action<long> onSeq, Func<DirectoryEntry, string, Task> onChanged, Action onListening, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Statements run once before migrations (journal mode etc.).</summary>
    public virtual Task PrepareAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Serializes concurrent migrators (several hosts starting at once).</summary>
    public virtual Task LockMigrationsAsync(DbConnection connection, DbTransaction tx) => Task.CompletedTask;

    public static SqlDialect Create(IncidentStoreOptions options) => options.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteDialect(options.ConnectionString),
        DatabaseProvider.Postgres => new PostgresDialect(options.ConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider."),
    };
}

internal sealed class SqliteDialect(string connectionString) : SqlDialect
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    // Writers from other processes still wait (Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout).
    private readonly string _connectionString = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 60, Pooling = true }.ToString();
    private readonly SemaphoreSlim _gate = Gates.GetOrAdd(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource), _ => new SemaphoreSlim(1, 1));

    public override string Name => "sqlite";
    public override string SkipLocked => "";
    public override string ShareLock => ""; // one writer at a time (the in-process gate, one process per file)
    public override string In(string column, string parameter) => $"{column} IN @{parameter}";

    public override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        return new Releaser(_gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;
        public void Dispose() { if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release(); }
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }

    // BEGIN IMMEDIATE takes the database write lock up front: no deadlock-prone read→write upgrade.
    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false));

    public override Task PrepareAsync(DbConnection connection) =>
        connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
}

internal sealed class PostgresDialect(string connectionString) : SqlDialect
{
    private const long MigrationLockKey = 0x5347_4952_4944_01; // "SGRID" + 1

    public override string Name => "postgres";
    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";
    public override string ShareLock => " FOR SHARE";
    public override string In(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
        // Row lock on the counter until commit: the writers' critical section. Each later statement in READ COMMITTED
        // sees everything committed before the lock was granted (so dedup and timer checks are race-free).
        await connection.ExecuteAsync("SELECT seq FROM outbox_counter WHERE id = 1 FOR UPDATE", transaction: tx).ConfigureAwait(false);
        return tx;
    }

    public const string Channel = "smart_incident_events";

    // NOTIFY inside the transaction is delivered only if and when it commits.
    public override Task NotifyAsync(DbConnection connection, DbTransaction tx, long seq) =>
        connection.ExecuteAsync("SELECT pg_notify(@channel, @seq)", new { channel = Channel, seq = seq.ToString(System.Globalization.CultureInfo.InvariantCulture) }, tx);

    /// <summary>Payload "person:&lt;id&gt;", "device:&lt;id&gt;" or "place:&lt;level&gt;:&lt;id&gt;" (a moved or reshaped place).</summary>
    public const string DirectoryChannel = "smart_directory_changes";

    public override Task NotifyDirectoryChangedAsync(DbConnection connection, DbTransaction? tx, DirectoryEntry entry, string id) =>
        connection.ExecuteAsync("SELECT pg_notify(@channel, @payload)", new { channel = DirectoryChannel, payload = $"{entry.ToString().ToLowerInvariant()}:{id}" }, tx);

    public override async Task ListenAsync(Action<long> onSeq, Func<DirectoryEntry, string, Task> onChanged, Action onListening, CancellationToken ct)
    {
        await using var connection = (NpgsqlConnection)await OpenAsync(ct).ConfigureAwait(false);
        var changed = new List<string>(); // filled during WaitAsync, handled after it (the handler reads the store)
        connection.Notification += (_, e) =>
        {
            if (e.Channel == DirectoryChannel) changed.Add(e.Payload);
            else if (long.TryParse(e.Payload, System.Globalization.CultureInfo.InvariantCulture, out var seq)) onSeq(seq);
        };
        await connection.ExecuteAsync($"LISTEN {Channel}; LISTEN {DirectoryChannel}").ConfigureAwait(false);
        onListening();
        try
        {
            while (true)
            {
                await connection.WaitAsync(ct).ConfigureAwait(false);
                foreach (var payload in changed.Distinct(StringComparer.Ordinal).ToList())
                    if (payload.Split(':', 2) is [var kind, var id] && Enum.TryParse<DirectoryEntry>(kind, ignoreCase: true, out var entry))
                        await onChanged(entry, id).ConfigureAwait(false);
                changed.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    public override Task LockMigrationsAsync(DbConnection connection, DbTransaction tx) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, tx);
}
