using System.Globalization;
using System.Text.Json;
using Smart.Core.Incidents;
using Smart.Detection;
using Smart.Host.Bridge;
using Smart.Host.Incidents;
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
    : IncidentEventFollower(store, logger)
{
    private DetectionAlert? _unraised; // a confirmation whose raise failed: the correlator will not find it twice

    protected override async Task HandleAsync(IncidentEvent e, CancellationToken ct)
    {
        if (_unraised is { } pending)
        {
            await alerts.RaiseAsync(pending, ct);
            _unraised = null;
        }
        if (AlarmOf(e) is not { } alarm || engine.CorrelateFire(alarm) is not { } confirmed) return;
        LogConfirmed(Logger, confirmed.BuildingId, e.Incident.Id);
        _unraised = confirmed;
        await alerts.RaiseAsync(confirmed, ct);
        _unraised = null;
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
    private static partial void LogConfirmed(ILogger logger, string buildingId, long incidentId);
}
