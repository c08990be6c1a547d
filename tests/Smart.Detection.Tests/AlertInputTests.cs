using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Detection.Tests;

public class AlertInputTests
{
    [Fact]
    public void An_alert_becomes_the_incident_stores_input_with_its_evidence_time_and_related_devices()
    {
        var alert = new DetectionAlert("F1", DeviceKind.Fire, "B1", IncidentTypes.FireConfirmed, Severity.P1, "smoke_pct_per_m", 6.5,
            "确认火情 / fire confirmed", 1_780_272_000_123, ["F2", "F3"]);
        var input = alert.ToAlertInput();
        Assert.Equal(("F1", IncidentTypes.FireConfirmed, (Severity?)Severity.P1, "smoke_pct_per_m", (double?)6.5, "确认火情 / fire confirmed"),
            (input.DeviceId, input.Type, input.Severity, input.Metric, input.Value, input.Reason));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_780_272_000_123), input.Timestamp);
        Assert.Equal(["F2", "F3"], input.RelatedDeviceIds!);
        var evidence = input.Evidence!.Value;
        Assert.Equal(("smoke_pct_per_m", 6.5, "确认火情 / fire confirmed", 1_780_272_000_123L),
            (evidence.GetProperty("metric").GetString(), evidence.GetProperty("value").GetDouble(), evidence.GetProperty("reason").GetString(),
                evidence.GetProperty("ts").GetInt64()));
    }
}
