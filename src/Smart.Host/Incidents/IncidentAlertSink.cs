using System.Text.Json;
using Smart.Core.Incidents;
using Smart.Detection;
using Smart.Host.Bridge;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>Turns a detector's alert into an incident (or new evidence on the open one for that device and type).</summary>
internal sealed class IncidentAlertSink(IncidentStore store) : IAlertSink
{
    public async Task RaiseAsync(DetectionAlert alert, CancellationToken ct)
    {
        var evidence = JsonSerializer.SerializeToElement(new { metric = alert.Metric, value = alert.Value, reason = alert.Reason, ts = alert.TimestampMs });
        await store.RaiseAsync(new AlertInput(alert.DeviceId, alert.IncidentType, (Smart.Core.Incidents.Severity)(int)alert.Severity, alert.Metric, alert.Value,
            alert.Reason, DateTimeOffset.FromUnixTimeMilliseconds(alert.TimestampMs), evidence), ct);
    }
}
