using Smart.Core.Incidents;
using Smart.Detection;
using Smart.Host.Bridge;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>Turns a detector's alert into an incident (or new evidence on the open one for that device and type), unless
/// every device it names was under maintenance (维护/测试) when its reading was taken: a detector tested with smoke spray or
/// a re-mounted level gauge sends nobody out. Its readings are stored and its commands (cut_power) sent as ever.</summary>
internal sealed partial class IncidentAlertSink(IncidentStore store, DeviceDirectory devices, ILogger<IncidentAlertSink> logger) : IAlertSink
{
    public async Task RaiseAsync(DetectionAlert alert, CancellationToken ct)
    {
        try
        {
            var input = alert.ToAlertInput();
            // The bridge's directory follows the store (DeviceChanged, and other hosts' changes by notification): no query per alert.
            if (devices.AllUnderMaintenance([alert.DeviceId, .. alert.RelatedDeviceIds ?? []], input.Timestamp))
            {
                LogUnderMaintenance(alert.DeviceId, alert.IncidentType, alert.Reason);
                return;
            }
            await store.RaiseAsync(input, ct);
        }
        catch (IncidentException e) when (e.Error == IncidentError.Invalid)
        {
            // An alert the store can never accept (e.g. a device retired meanwhile) must not hold its batch forever.
            LogRefused(alert.DeviceId, alert.IncidentType, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Information, "Alert {Type} for {DeviceId} not raised: under maintenance (维护中): {Reason}")]
    private partial void LogUnderMaintenance(string deviceId, string type, string reason);

    [LoggerMessage(LogLevel.Warning, "Alert {Type} for {DeviceId} refused by the incident store: {Reason}")]
    private partial void LogRefused(string deviceId, string type, string reason);
}
