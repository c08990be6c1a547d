using Dapper;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

/// <summary>
/// Grid incidents over SQLite or PostgreSQL (DESIGN §8): raise with dedup and routing, the state machine with
/// who-may-do-what, SLA timers with escalation, the outbox of events with a gap-free <c>seq</c>, scoped queries, KPIs.
/// Thread-safe; several instances (processes) may share one PostgreSQL database.
/// </summary>
public sealed partial class IncidentStore
{
    private readonly IncidentStoreOptions _options;
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _zone;
    private long _lastSeq;
    private TaskCompletionSource _signal = NewSignal();

    /// <summary>Creates the store; call <see cref="InitializeAsync"/> (migrations) before use.</summary>
    public IncidentStore(IncidentStoreOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _dialect = SqlDialect.Create(options);
        _time = time ?? TimeProvider.System;
        _zone = FindZone(options.TimeZoneId);
    }

    public IncidentStoreOptions Options => _options;

    /// <summary>The clock the store stamps changes with.</summary>
    public TimeProvider Time => _time;

    /// <summary>Raised after a commit that emitted events, with the highest seq committed (in-process only).</summary>
    public event Action<long>? EventsCommitted;

    /// <summary>
    /// Raised with a person as committed after they were added or changed (name, role, scope, deactivated or reactivated):
    /// by this process, or (PostgreSQL, while <see cref="ListenAsync"/> runs) by another one — read again here.
    /// </summary>
    public event Action<Person>? PersonChanged;

    /// <summary>
    /// Raised with a device as committed after it was registered, retired or moved (itself, or with its building, grid or
    /// community), here or (PostgreSQL) on another host.
    /// </summary>
    public event Action<Device>? DeviceChanged;

    /// <summary>
    /// PostgreSQL: raised each time <see cref="ListenAsync"/> starts listening (again): changes other processes made before
    /// were not heard, so copies of people and devices should be read afresh.
    /// </summary>
    public event Action? DirectoryResync;

    /// <summary>Raised after a place was added, renamed, edited, moved or deleted, here or (PostgreSQL) on another host, and
    /// when <see cref="ListenAsync"/> starts listening (again): screens showing the district read it afresh.</summary>
    public event Action? DistrictChanged;

    /// <summary>The highest seq this process knows is committed (its own writes, or read at start-up).</summary>
    public long LastSeq => Volatile.Read(ref _lastSeq);

    /// <summary>Applies pending migrations (idempotent; safe with several processes) and reads the current seq.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await Migrator.MigrateAsync(_dialect, ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        Advance(await connection.ExecuteScalarAsync<long>("SELECT seq FROM outbox_counter WHERE id = 1").ConfigureAwait(false));
    }

    /// <summary>Creates and initializes a store.</summary>
    public static async Task<IncidentStore> OpenAsync(IncidentStoreOptions options, TimeProvider? time = null, CancellationToken ct = default)
    {
        var store = new IncidentStore(options, time);
        await store.InitializeAsync(ct).ConfigureAwait(false);
        return store;
    }

    /// <summary>Completes when this process has committed (or learnt of) an event with seq &gt; <paramref name="afterSeq"/>.</summary>
    public async Task WaitForEventsAsync(long afterSeq, CancellationToken ct)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _signal);
            if (LastSeq > afterSeq) return;
            await signal.Task.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// PostgreSQL: listens (LISTEN/NOTIFY) for events committed by other host processes and wakes
    /// <see cref="WaitForEventsAsync"/> / <see cref="EventsCommitted"/> for them, and raises <see cref="PersonChanged"/> and
    /// <see cref="DeviceChanged"/> for the people and devices they changed (for a moved place, each device under it; grids are
    /// located afresh) (<see cref="DirectoryResync"/> once listening),
    /// until cancelled; throws when the connection fails (call again after a delay, then read events after your last seq:
    /// notifications are not queued). SQLite: completes at once (one process owns the file).
    /// </summary>
    public Task ListenAsync(CancellationToken ct) => _dialect.ListenAsync(Published, async (entry, id) =>
    {
        if (entry == DirectoryEntry.Person && await FindPersonAsync(id, ct).ConfigureAwait(false) is { } person) PersonChanged?.Invoke(person);
        else if (entry == DirectoryEntry.Device && await GetDeviceAsync(id, Scope.All, ct).ConfigureAwait(false) is { } device) DeviceChanged?.Invoke(device);
        else if (entry == DirectoryEntry.Place) await OnPlaceChangedElsewhereAsync(id, ct).ConfigureAwait(false);
    }, () =>
    {
        _locator = null; // grids another host moved or reshaped while this one was not listening
        DirectoryResync?.Invoke();
        DistrictChanged?.Invoke();
    }, ct);

    /// <summary>This process's <see cref="PersonChanged"/>, once the change is committed (other processes were notified in it).</summary>
    private Person RaisePersonChanged(Person person)
    {
        PersonChanged?.Invoke(person);
        return person;
    }

    /// <summary>Tells other processes (in the transaction, if any) that a place changed; once committed, raise <see cref="DistrictChanged"/> here.</summary>
    private Task NotifyPlaceChangedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx, PlaceLevel level, string id) =>
        _dialect.NotifyDirectoryChangedAsync(connection, tx, DirectoryEntry.Place, PlaceKey(level, id));

    /// <summary>This process's <see cref="DeviceChanged"/>, once the change is committed (other processes were notified in it).</summary>
    private Device RaiseDeviceChanged(Device device)
    {
        DeviceChanged?.Invoke(device);
        return device;
    }

    private async Task<T> WriteAsync<T>(Func<WriteTx, Task<T>> work, CancellationToken ct, DateTimeOffset? now = null)
    {
        WriteTx w;
        T result;
        using (await _dialect.EnterWriteAsync(ct).ConfigureAwait(false))
        await using (var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false))
        {
            await using var tx = await _dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            w = new WriteTx(connection, tx, now ?? _time.GetUtcNow());
            result = await work(w).ConfigureAwait(false);
            if (w.Events.Count > 0) await _dialect.NotifyAsync(connection, tx, w.Events[^1].Seq).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        if (w.Events.Count > 0) Published(w.Events[^1].Seq);
        return result;
    }

    private void Published(long seq)
    {
        Advance(seq);
        Interlocked.Exchange(ref _signal, NewSignal()).TrySetResult();
        EventsCommitted?.Invoke(seq);
    }

    private void Advance(long seq)
    {
        long current;
        while (seq > (current = Volatile.Read(ref _lastSeq)))
            if (Interlocked.CompareExchange(ref _lastSeq, seq, current) == current) break;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TimeZoneInfo FindZone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException)
        {
            // China has one zone without DST; a machine without tzdata still gets the right local shift times.
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }

    private static IncidentException NotFound(long id) => new(IncidentError.NotFound, $"Incident {id} not found.");
}
