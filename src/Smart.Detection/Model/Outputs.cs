using System.Text.Json;
using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Detection;

/// <summary>A detector's score for one metric of one reading; written to InfluxDB measurement <c>anomaly</c>
/// (tags device, kind, metric, detector; fields score, value, expected).</summary>
/// <param name="Score">0 = normal … 1 = certainly anomalous.</param>
/// <param name="Expected">What the detector expected the value to be.</param>
public sealed record AnomalyScore(
    string DeviceId, DeviceKind Kind, string Metric, string Detector, double Score, double Value, double Expected,
    long TimestampMs, string Reason);

/// <summary>An incident-worthy finding (one per raise; a condition that stays true is not re-reported).</summary>
/// <param name="IncidentType">One of <see cref="IncidentTypes"/>.</param>
/// <param name="Reason">zh-CN then English, e.g. <c>烟雾浓度 6.0 %/m ≥ 4 %/m / smoke obscuration 6.0 %/m ≥ 4 %/m</c>.</param>
/// <param name="RelatedDeviceIds">Other devices the finding is about (the detectors that confirmed a fire, the devices
/// that joined a building's outage); the incident lists them with <paramref name="DeviceId"/>.</param>
public sealed record DetectionAlert(
    string DeviceId, DeviceKind Kind, string BuildingId, string IncidentType, Severity Severity, string Metric,
    double Value, string Reason, long TimestampMs, IReadOnlyList<string>? RelatedDeviceIds = null)
{
    /// <summary>Value equality, <see cref="RelatedDeviceIds"/> compared element by element (not as list references).</summary>
    public bool Equals(DetectionAlert? other) =>
        other is not null
        && (DeviceId, Kind, BuildingId, IncidentType, Severity, Metric, Value, Reason, TimestampMs)
            .Equals((other.DeviceId, other.Kind, other.BuildingId, other.IncidentType, other.Severity, other.Metric, other.Value, other.Reason, other.TimestampMs))
        && (RelatedDeviceIds ?? []).SequenceEqual(other.RelatedDeviceIds ?? []);

    public override int GetHashCode() => HashCode.Combine(DeviceId, IncidentType, TimestampMs);

    /// <summary>What the incident store is told about this finding: the detector's severity as its proposal, the metric,
    /// value, reason and time as evidence, and the related devices (the host's alert sink and the scenario evaluation's
    /// incident view both raise exactly this).</summary>
    public AlertInput ToAlertInput() => new(DeviceId, IncidentType, Severity, Metric, Value, Reason, DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs),
        JsonSerializer.SerializeToElement(new { metric = Metric, value = Value, reason = Reason, ts = TimestampMs }), RelatedDeviceIds);
}

/// <summary>A command to publish on <c>smart/v1/{kind}/{deviceId}/command</c>, e.g. <c>{"cmd":"cut_power","port":3}</c>.</summary>
public sealed record DeviceCommand(string DeviceId, DeviceKind Kind, string PayloadJson, string Reason);

/// <summary>What one call to the engine found.</summary>
public sealed record DetectionResult(
    IReadOnlyList<AnomalyScore> Scores, IReadOnlyList<DetectionAlert> Alerts, IReadOnlyList<DeviceCommand> Commands)
{
    public static DetectionResult Empty { get; } = new([], [], []);
}
