using Smart.Detection;
using Smart.Host.Bridge;
using Smart.Host.Infrastructure;

namespace Smart.Host.Detection;

/// <summary>
/// The detectors' life outside the message path: their state is restored before the bridge starts and saved every
/// few minutes and at shutdown (DESIGN §7: state survives restart), silent devices are reported offline (only for
/// the time the bridge could have heard them: <see cref="BrokerListening"/>), and a device whose maintenance (维护) has
/// ended has its alerts reopened (<see cref="DetectionEngine.ReopenAlerts"/>).
/// </summary>
internal sealed partial class DetectionHousekeeping(DetectionEngine engine, IAlertSink alerts, BrokerListening listening, Endpoints endpoints,
    DeviceDirectory devices, TimeProvider clock, ILogger<DetectionHousekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan SilenceCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SaveEvery = TimeSpan.FromMinutes(5);

    private readonly Lock _saving = new();

    private string StatePath => Path.Combine(endpoints.DataDirectory, "detection.state");

    public override async Task StartAsync(CancellationToken ct)
    {
        if (File.Exists(StatePath))
        {
            try
            {
                await using var file = File.OpenRead(StatePath);
                engine.LoadState(file);
                LogRestored(engine.DeviceCount);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException or EndOfStreamException)
            {
                // A damaged state file costs the detectors their learnt baselines, nothing else: start fresh, loudly.
                LogRestoreFailed(e, StatePath);
            }
        }
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(SilenceCheck, clock);
        var lastSave = clock.GetUtcNow();
        var lastTick = clock.GetUtcNow();
        while (await timer.WaitForNextTickAsync(ct))
        {
            // Maintenance (维护) that ended since the last tick, early or on time: what its device still finds is raised again.
            var now = clock.GetUtcNow();
            foreach (var d in devices.All)
                if (d.Maintenance is { } m && m.Until > lastTick && m.Until <= now) engine.ReopenAlerts(d.Id);
            lastTick = now;
            // Silence is judged only while the bridge hears the devices, and only for the time it has.
            if (listening.SinceMs is { } since)
                foreach (var alert in engine.CheckSilence(now.ToUnixTimeMilliseconds(), since).Alerts)
                    await alerts.RaiseAsync(alert, ct);
            if (clock.GetUtcNow() - lastSave >= SaveEvery)
            {
                Save();
                lastSave = clock.GetUtcNow();
            }
        }
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        Save();
    }

    /// <summary>Writes the state beside the file and moves it over (a crash leaves the old file whole). One save at a time:
    /// two at once (a shutdown racing a stop the host was asked for elsewhere) would move each other's temporary file.</summary>
    private void Save()
    {
        lock (_saving)
        {
            var tmp = StatePath + ".tmp";
            using (var file = File.Create(tmp)) engine.SaveState(file);
            File.Move(tmp, StatePath, overwrite: true);
        }
        LogSaved(engine.DeviceCount);
    }

    [LoggerMessage(LogLevel.Information, "Detector state restored for {Devices} devices")]
    private partial void LogRestored(int devices);

    [LoggerMessage(LogLevel.Error, "Could not restore detector state from {Path}; detectors start fresh")]
    private partial void LogRestoreFailed(Exception e, string path);

    [LoggerMessage(LogLevel.Debug, "Detector state saved for {Devices} devices")]
    private partial void LogSaved(int devices);
}
