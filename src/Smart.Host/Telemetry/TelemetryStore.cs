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
    /// <summary>Device time range of the points the 1-minute CQ may not roll up: replayed from the spool, or late when they landed (long.MaxValue/MinValue: none).</summary>
    private (long From, long To) _late = (long.MaxValue, long.MinValue);
    private Task _backfill = Task.CompletedTask;
    private Task _backfillTimer = Task.CompletedTask;

    public Task Ready => _ready.Task;
    public InfluxWriter Writer => _writer ?? throw new InvalidOperationException("Telemetry store not started");
    public InfluxQueryClient Query => _query ?? throw new InvalidOperationException("Telemetry store not started");
    public string Database => settings.Value.Database;

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
        if (options.ApiVersion == InfluxApiVersion.V1)
        {
            _rollups = DeviceKinds.All.Select(k => new RollupMeasurement(k.Name(),
                TelemetrySchema.For(k).Concat(TelemetrySchema.Common).Where(f => f.Type == FieldType.Number).Select(f => f.Name).ToList())).ToList();
            await InfluxSchema.EnsureAsync(_query, s.Database, _rollups, _schema, ct);
        }
        _writer = new InfluxWriter(options, OnWriterEvent);
        _backfillTimer = BackfillPeriodicallyAsync(s.LateRollupInterval, _stopping.Token);
        _ready.TrySetResult();
    }

    /// <summary>
    /// Writes points whose device timestamps lie in [<paramref name="fromMs"/>, <paramref name="toMs"/>]; completes when
    /// they are durable. Points the 1-minute continuous query may miss are remembered, so their rollups are recomputed:
    /// readings that arrive late by themselves (a device's stored readings) here, spooled ones when they are replayed.
    /// </summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> lines, long fromMs, long toMs)
    {
        await Writer.WriteAsync(lines);
        if (fromMs < CoveredSinceMs()) NoteLate(fromMs, toMs);
    }

    private void NoteLate(long fromMs, long toMs)
    {
        lock (_lateLock) _late = (Math.Min(_late.From, fromMs), Math.Max(_late.To, toMs));
    }

    /// <summary>Points with a time from here on that land now are still rolled up by the 1-minute continuous query.</summary>
    private long CoveredSinceMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)_schema.CoveredLateness.TotalMilliseconds;

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
    /// Recomputes the rollups of the late range, unless points are still waiting in the spool (they are part of it) or
    /// every point of the range is recent enough for the continuous query (a short spool episode).
    /// </summary>
    private void BackfillLatePoints()
    {
        if (_query is not { } query || _rollups.Count == 0 || _writer is not { IsSpooling: false }) return;
        (long From, long To) range;
        lock (_lateLock) (range, _late) = (_late, (long.MaxValue, long.MinValue));
        if (range.From > range.To || range.From >= CoveredSinceMs()) return;
        var (from, to) = (DateTimeOffset.FromUnixTimeMilliseconds(range.From), DateTimeOffset.FromUnixTimeMilliseconds(range.To));
        lock (_lateLock) _backfill = _backfill.ContinueWith(_ => BackfillAsync(query, from, to), TaskScheduler.Default).Unwrap();
    }

    private async Task BackfillAsync(InfluxQueryClient query, DateTimeOffset from, DateTimeOffset to)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await InfluxSchema.BackfillRollupsAsync(query, Database, _rollups, from, to, _schema);
            LogBackfilled(from, to, started.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is HttpRequestException or InfluxQueryException or TaskCanceledException or ObjectDisposedException)
        {
            LogBackfillFailed(e, from, to);
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

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _backfillTimer;
        Task backfill;
        lock (_lateLock) backfill = _backfill;
        await backfill;
        var writer = Interlocked.Exchange(ref _writer, null);
        if (writer is not null) await writer.DisposeAsync();
        Interlocked.Exchange(ref _query, null)?.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Rollups recomputed for the late points of {From:u} – {To:u} ({Seconds:0.0} s)")]
    private partial void LogBackfilled(DateTimeOffset from, DateTimeOffset to, double seconds);

    [LoggerMessage(LogLevel.Error, "Could not recompute the rollups of the late points of {From:u} – {To:u}; run InfluxSchema.BackfillRollupsAsync for that range")]
    private partial void LogBackfillFailed(Exception e, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(LogLevel.Warning, "InfluxDB rejected data for good (kept as a dead letter): {Message}")]
    private partial void LogRejected(string message);

    [LoggerMessage(LogLevel.Error, "InfluxDB writer: {Kind}: {Message}")]
    private partial void LogProblem(InfluxWriterEventKind kind, string message);

    [LoggerMessage(LogLevel.Warning, "InfluxDB write failed, retrying or spooling: {Message}")]
    private partial void LogRetry(string message);

    [LoggerMessage(LogLevel.Information, "InfluxDB writer: {Kind}: {Message}")]
    private partial void LogEvent(InfluxWriterEventKind kind, string message);
}
