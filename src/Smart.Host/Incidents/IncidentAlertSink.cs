using Smart.Core.Incidents;
using Smart.Detection;
using Smart.Host.Bridge;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>Turns a detector's alert into an incident (or new evidence on the open one for that device and type).</summary>
internal sealed partial class IncidentAlertSink(IncidentStore store, ILogger<IncidentAlertSink> logger) : IAlertSink
{
    public async Task RaiseAsync(DetectionAlert alert, CancellationToken ct)
    {
        try
        {
            await store.RaiseAsync(alert.ToAlertInput(), ct);
        }
        catch (IncidentException e) when (e.Error == IncidentError.Invalid)
        {
            // An alert the store can never accept (e.g. a device retired meanwhile) must not hold its batch forever.
            LogRefused(alert.DeviceId, alert.IncidentType, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Alert {Type} for {DeviceId} refused by the incident store: {Reason}")]
    private partial void LogRefused(string deviceId, string type, string reason);
}
