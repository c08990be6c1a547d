using Microsoft.Extensions.Options;
using Smart.Core;
using Smart.Host.Bridge;
using Smart.Host.Infrastructure;
using Smart.Host.Metrics;
using Smart.Influx;
using Smart.Influx.Query;
using Smart.Influx.Schema;
using Smart.Influx.Writing;

namespace Smart.Host.Telemetry;

/// <summary>
/// The host's InfluxDB: a durable writer (with the disk spool under the data directory) and a query client, created
/// once the endpoints are known, with the schema (retention, rollups) ensured at start-up.
/// </summary>
public sealed partial class TelemetryStore(
    Endpoints endpoints, IOptions<InfluxSettings> settings, IOptions<BridgeOptions> bridge, DeadLetterStore deadLetters, ILogger<TelemetryStore> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly InfluxSchemaOptions _schema = new();
    private readonly Lock _lateLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private InfluxWriter? _writer;
    private InfluxQueryClient? _query;
    private IReadOnlyList<RollupMeasurement> _rollups = [];
    /// <summary>Times whose rollups are recomputed from the raw points by the next pass (guarded by <c>_lateLock</c>).</summary>
    private readonly LateMinutes _late = new();
    private Task _backfill = Task.CompletedTask;
    /// <summary>Earliest time of a queued or running backfill (long.MaxValue: none), for the saved watermark.</summary>
    private long _backfillingFrom = long.MaxValue;
    private int _backfillsQueued;
    private InfluxWriter? _rollupWriter;
    private string _completeBeforeFile = "";
    private int _disposed;
    private Task _backfillTimer = Task.CompletedTask;

    public Task Ready => _ready.Task;
    public InfluxWriter Writer => _writer ?? throw new InvalidOperationException("Telemetry store not started");
    public InfluxQueryClient Query => _query ?? throw new InvalidOperationException("Telemetry store not started");
    public string Database => settings.Value.Database;
    /// <summary>Retention policies and rollup settings of the database (v1).</summary>
    public InfluxSchemaOptions Schema => _schema;
    /// <summary>Whether the database has the retention policies and rollups (InfluxDB 1.x; not through the v2 API).</summary>
    public bool HasRollups => _rollups.Count > 0;

    public async Task StartAsync(CancellationToken ct)
    {
        await endpoints.Ready.WaitAsync(ct);
        var s = settings.Value;
        var options = new InfluxOptions
        {
            Url = new Uri(endpoints.InfluxUrl), Database = s.Database, Token = s.Token, Org = s.Org,
            ApiVersion = s.ApiVersion == 2 ? InfluxApiVersion.V2 : InfluxApiVersion.V1,
            SpoolDirectory = Path.Combine(endpoints.DataDirectory, "spool"),
            SpoolMaxBytes = bridge.Value.SpoolMaxBytes, BatchMaxBytes = bridge.Value.InfluxBatchMaxBytes,
            MaxConcurrentWrites = bridge.Value.InfluxMaxConcurrentWrites,
        };
        _query = new InfluxQueryClient(options);
        _completeBeforeFile = Path.Combine(endpoints.DataDirectory, "rollups-complete-before");
        if (options.ApiVersion == InfluxApiVersion.V1)
        {
            _rollups = DeviceKinds.All.Select(k => new RollupMeasurement(k.Name(), MinuteRollups.FieldsOf(k))).ToList();
            await InfluxSchema.EnsureAsync(_query, s.Database, _rollups, _schema, ct);
            // A 1-minute rollup (and a small spool of its own) per series and minute: ~1/60 of the raw points or less.
            _rollupWriter = new InfluxWriter(new InfluxOptions
            {
                Url = options.Url, Database = options.Database, RetentionPolicy = _schema.MinutePolicy,
                SpoolDirectory = Path.Combine(endpoints.DataDirectory, "spool-" + _schema.MinutePolicy),
                SpoolMaxBytes = Math.Max(1 << 20, bridge.Value.SpoolMaxBytes / 16), BatchMaxBytes = bridge.Value.InfluxBatchMaxBytes,
            }, OnWriterEvent);
            NoteRestart();
        }
        _writer = new InfluxWriter(options, OnWriterEvent);
        _backfillTimer = BackfillPeriodicallyAsync(s.LateRollupInterval, _stopping.Token);
        _ready.TrySetResult();
    }

    /// <summary>
    /// After a batch's raw points are durable: writes the 1-minute rollups closed with it, notes its readings that
    /// <see cref="MinuteRollups"/> could not count (their minutes are recomputed from the raw points), and, after a
    /// rollup sweep, records up to when the rollups are complete (what a restart recomputes from).
    /// </summary>
    public async Task WriteRollupsAsync(ReadOnlyMemory<byte> rollups, LateMinutes late, long? completeBeforeMs)
    {
        if (_rollupWriter is null) return;
        if (!rollups.IsEmpty) await _rollupWriter.WriteAsync(rollups);
        if (!late.IsEmpty) lock (_lateLock) _late.AddAll(late);
        if (completeBeforeMs is { } before) await SaveCompleteBeforeAsync(before);
    }

    /// <summary>Every series' rollups of [from, to] are recomputed by the next pass.</summary>
    private void NoteLate(long fromMs, long toMs)
    {
        lock (_lateLock) _late.Add(null, fromMs, toMs);
    }

    /// <summary>
    /// The minutes a previous process may have left without rollups (open when it stopped or crashed, or late ranges it
    /// had not recomputed yet) are recomputed from the raw points: from its last saved watermark, or the last
    /// <see cref="UnknownPastMs"/> on a first start.
    /// </summary>
    private void NoteRestart()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var from = File.Exists(_completeBeforeFile) && long.TryParse(File.ReadAllText(_completeBeforeFile).Trim(), out var saved)
            ? Math.Min(saved, now) : now - UnknownPastMs;
        NoteLate(from, now);
    }

    private const long UnknownPastMs = 10 * 60_000;

    private async Task SaveCompleteBeforeAsync(long beforeMs)
    {
        long value;
        lock (_lateLock) value = Math.Min(beforeMs, Math.Min(_late.EarliestMs, _backfillingFrom));
        var temp = _completeBeforeFile + ".tmp";
        await File.WriteAllTextAsync(temp, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(temp, _completeBeforeFile, overwrite: true);
    }

    /// <summary>Late points are rolled up every <c>Influx:LateRollupInterval</c> (and at once when the spool drains).</summary>
    private async Task BackfillPeriodicallyAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) BackfillLatePoints();
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// Recomputes the rollups of the late range's minutes that every series has closed (older than
    /// <see cref="MinuteRollups.IdleCloseMs"/> and a minute), so the host's own rollups cannot overwrite them with
    /// fewer readings; the newer part waits for the next pass, as does everything while points wait in a spool.
    /// </summary>
    private void BackfillLatePoints()
    {
        if (_query is not { } query || _rollups.Count == 0 || _writer is not { IsSpooling: false } || _rollupWriter is { IsSpooling: true }) return;
        var closedBefore = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - MinuteRollups.IdleCloseMs) / 60_000 * 60_000 - 60_000;
        lock (_lateLock)
        {
            var due = _late.TakeBefore(closedBefore);
            if (due.IsEmpty) return;
            _backfillingFrom = Math.Min(_backfillingFrom, due.EarliestMs);
            _backfillsQueued++;
            _backfill = _backfill.ContinueWith(_ => BackfillAsync(query, due), TaskScheduler.Default).Unwrap();
        }
    }

    private async Task BackfillAsync(InfluxQueryClient query, LateMinutes due)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
        try
        {
            if (due.All.From <= due.All.To)
                await InfluxSchema.BackfillRollupsAsync(query, Database, _rollups, Time(due.All.From), Time(due.All.To), _schema);
            foreach (var (device, r) in due.ByDevice)
                await InfluxSchema.BackfillRollupsAsync(query, Database, _rollups, Time(r.From), Time(r.To), _schema, new("device", device));
            LogBackfilled(due.ByDevice.Count, Time(due.EarliestMs), started.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is HttpRequestException or InfluxQueryException or TaskCanceledException or ObjectDisposedException)
        {
            lock (_lateLock) _late.AddAll(due); // the next pass tries again (what was done already is recomputed once more)
            LogBackfillFailed(e, Time(due.EarliestMs));
        }
        finally
        {
            lock (_lateLock)
                if (--_backfillsQueued == 0) _backfillingFrom = long.MaxValue;
        }
    }

    private void OnWriterEvent(InfluxWriterEvent e)
    {
        switch (e.Kind)
        {
            case InfluxWriterEventKind.Replayed:
                NoteLate(e.FromMs, e.ToMs);
                break;
            case InfluxWriterEventKind.SpoolDrained:
                LogEvent(e.Kind, e.Message);
                BackfillLatePoints();
                break;
            case InfluxWriterEventKind.LineRejected or InfluxWriterEventKind.PointsDropped:
                deadLetters.Add("influxdb", System.Text.Encoding.UTF8.GetBytes(e.Line ?? ""), new Rejection("influx_rejected", e.Message), DateTimeOffset.UtcNow);
                LogRejected(e.Message);
                break;
            case InfluxWriterEventKind.Misconfigured or InfluxWriterEventKind.SpoolFull or InfluxWriterEventKind.SpoolCorrupt:
                LogProblem(e.Kind, e.Message);
                break;
            case InfluxWriterEventKind.WriteFailed:
                LogRetry(e.Message);
                break;
            default:
                LogEvent(e.Kind, e.Message);
                break;
        }
    }

    public void WriteMetrics(PrometheusText text)
    {
        if (_writer is null) return;
        var m = _writer.Metrics.Snapshot();
        text.Counter("smart_influx_points_written_total", "Points InfluxDB accepted", m.PointsWritten)
            .Counter("smart_influx_batches_written_total", "Write requests InfluxDB accepted", m.BatchesWritten)
            .Counter("smart_influx_retries_total", "Write attempts retried", m.Retries)
            .Counter("smart_influx_points_dropped_total", "Points InfluxDB rejected for good", m.PointsDroppedByServer)
            .Counter("smart_influx_batches_spooled_total", "Batches written to the disk spool", m.BatchesSpooled)
            .Counter("smart_influx_batches_replayed_total", "Spooled batches delivered", m.BatchesReplayed)
            .Counter("smart_influx_spool_full_waits_total", "Writes that waited for spool space (back-pressure)", m.SpoolFullWaits)
            .Gauge("smart_influx_spool_bytes", "Bytes in the disk spool", m.SpoolBytesOnDisk)
            .Gauge("smart_influx_spooling", "1 while the spool holds data not yet in InfluxDB", m.Spooling ? 1 : 0);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Stops the backfill pass and the writers; safe to call more than once (the DI container and the host both may).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        await _backfillTimer;
        Task backfill;
        lock (_lateLock) backfill = _backfill;
        await backfill;
        var writer = Interlocked.Exchange(ref _writer, null);
        if (writer is not null) await writer.DisposeAsync();
        var rollupWriter = Interlocked.Exchange(ref _rollupWriter, null);
        if (rollupWriter is not null) await rollupWriter.DisposeAsync();
        Interlocked.Exchange(ref _query, null)?.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Rollups recomputed from the raw points since {From:u} (devices on their own: {Devices}; {Seconds:0.0} s)")]
    private partial void LogBackfilled(int devices, DateTimeOffset from, double seconds);

    [LoggerMessage(LogLevel.Error, "Could not recompute the rollups since {From:u} from the raw points; the next pass tries again")]
    private partial void LogBackfillFailed(Exception e, DateTimeOffset from);

    [LoggerMessage(LogLevel.Warning, "InfluxDB rejected data for good (kept as a dead letter): {Message}")]
    private partial void LogRejected(string message);

    [LoggerMessage(LogLevel.Error, "InfluxDB writer: {Kind}: {Message}")]
    private partial void LogProblem(InfluxWriterEventKind kind, string message);

    [LoggerMessage(LogLevel.Warning, "InfluxDB write failed, retrying or spooling: {Message}")]
    private partial void LogRetry(string message);

    [LoggerMessage(LogLevel.Information, "InfluxDB writer: {Kind}: {Message}")]
    private partial void LogEvent(InfluxWriterEventKind kind, string message);
}
