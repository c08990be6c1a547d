using System.Globalization;
using System.Text.Json;
using Smart.Core.Incidents;
using Smart.Detection;
using Smart.Host.Bridge;
using Smart.Incidents;

namespace Smart.Host.Detection;

/// <summary>
/// Feeds the fire correlation (DESIGN §7 layer 3: two detectors of one building within minutes confirm a fire) with
/// every fire alarm that became or renewed an incident, whichever host detected it. With several hosts (DESIGN §13)
/// the detectors of one building are read by different hosts, so neither host alone would see two of them; the
/// incident events, which every host reads, carry each alarm's device, building and reading time. Alarms this host
/// raised itself come back too and change nothing. A confirmation found here is raised like any alert; the store keeps
/// one open confirmed fire per building, so two hosts confirming the same fire make one incident.
/// </summary>
internal sealed partial class FireCorrelationFeed(IncidentStore store, DetectionEngine engine, IAlertSink alerts, ILogger<FireCorrelationFeed> logger)
    : BackgroundService
{
    private DetectionAlert? _unraised; // a confirmation whose raise failed: the correlator will not find it twice

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var lastSeq = store.LastSeq;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (_unraised is { } pending)
                {
                    await alerts.RaiseAsync(pending, ct);
                    _unraised = null;
                }
                await store.WaitForEventsAsync(lastSeq, ct);
                foreach (var e in await store.ReadEventsAsync(lastSeq, 500, ct))
                {
                    if (AlarmOf(e) is { } alarm && engine.CorrelateFire(alarm) is { } confirmed)
                    {
                        LogConfirmed(confirmed.BuildingId, e.Incident.Id);
                        _unraised = confirmed;
                        await alerts.RaiseAsync(confirmed, ct);
                        _unraised = null;
                    }
                    lastSeq = e.Seq;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                LogFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>The alarm an incident event carries: a device's alert that created or renewed an incident with a building.</summary>
    internal static DetectionAlert? AlarmOf(IncidentEvent e)
    {
        var i = e.Incident;
        if (e.Change is not ("created" or "updated") || i.DeviceId is null || i.DeviceKind is not { } kind || i.Location.BuildingId is null)
            return null;
        var ts = i.Evidence is { ValueKind: JsonValueKind.Object } evidence && evidence.TryGetProperty("ts", out var t)
            && t.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                ? at : i.UpdatedAt;
        return new DetectionAlert(i.DeviceId, kind, i.Location.BuildingId, i.Type, i.Severity, "", double.NaN, i.Title, ts.ToUnixTimeMilliseconds());
    }

    [LoggerMessage(LogLevel.Information, "Fire confirmed in building {BuildingId} with an alarm another host raised (incident {IncidentId})")]
    private partial void LogConfirmed(string buildingId, long incidentId);

    [LoggerMessage(LogLevel.Error, "Fire correlation feed failed; retrying")]
    private partial void LogFailed(Exception e);
}
