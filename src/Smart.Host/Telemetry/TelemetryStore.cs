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
    private InfluxWriter? _writer;
    private InfluxQueryClient? _query;

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
            var rollups = DeviceKinds.All.Select(k => new RollupMeasurement(k.Name(),
                TelemetrySchema.For(k).Concat(TelemetrySchema.Common).Where(f => f.Type == FieldType.Number).Select(f => f.Name).ToList()));
            await InfluxSchema.EnsureAsync(_query, s.Database, rollups, ct: ct);
        }
        _writer = new InfluxWriter(options, OnWriterEvent);
        _ready.TrySetResult();
    }

    private void OnWriterEvent(InfluxWriterEvent e)
    {
        switch (e.Kind)
        {
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
        var writer = Interlocked.Exchange(ref _writer, null);
        if (writer is not null) await writer.DisposeAsync();
        Interlocked.Exchange(ref _query, null)?.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "InfluxDB rejected data for good (kept as a dead letter): {Message}")]
    private partial void LogRejected(string message);

    [LoggerMessage(LogLevel.Error, "InfluxDB writer: {Kind}: {Message}")]
    private partial void LogProblem(InfluxWriterEventKind kind, string message);

    [LoggerMessage(LogLevel.Warning, "InfluxDB write failed, retrying or spooling: {Message}")]
    private partial void LogRetry(string message);

    [LoggerMessage(LogLevel.Information, "InfluxDB writer: {Kind}: {Message}")]
    private partial void LogEvent(InfluxWriterEventKind kind, string message);
}
