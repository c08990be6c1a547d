using Smart.Core;

namespace Smart.Detection.Evaluation;

/// <summary>One labelled anomaly injected by firmware-sim: which device (or building) and when.</summary>
/// <param name="ExpectedType">The incident type that should be raised, e.g. <c>fire.confirmed</c>; null = any.</param>
public sealed record GroundTruth(string Scenario, string? DeviceId, string? BuildingId, long StartMs, long EndMs, string? ExpectedType);

/// <summary>A message as firmware-sim published it (or as recorded from the broker).</summary>
public sealed record RecordedMessage(long ReceivedMs, string Topic, string PayloadJson);

public sealed record ScenarioOutcome(GroundTruth Truth, DetectionAlert? FirstAlert)
{
    public bool Detected => FirstAlert is not null;
    public double? DelaySeconds => FirstAlert is null ? null : (FirstAlert.TimestampMs - Truth.StartMs) / 1000.0;
}

public sealed record ScenarioReport(IReadOnlyList<ScenarioOutcome> Outcomes, IReadOnlyList<DetectionAlert> FalseAlerts, int Messages)
{
    public double Recall => Outcomes.Count == 0 ? 1 : (double)Outcomes.Count(o => o.Detected) / Outcomes.Count;
    /// <summary>Alerts that belong to some scenario over all alerts.</summary>
    public double Precision { get; init; }
}

/// <summary>Replays recorded MQTT traffic through a <see cref="DetectionEngine"/> and scores the alerts against
/// firmware-sim's ground truth: per scenario detected or not and the delay from onset; every alert that matches
/// no scenario is a false incident. An alert matches a scenario when it is for its device (or building), of its
/// expected type (if given), and raised between its start and <see cref="GraceMs"/> after its end.</summary>
public sealed class ScenarioEvaluator(Func<string, string?> buildingOf, DetectionOptions? options = null)
{
    public long GraceMs { get; init; } = 60_000;
    public long SilenceCheckMs { get; init; } = 30_000;

    public ScenarioReport Evaluate(IEnumerable<RecordedMessage> messages, IReadOnlyList<GroundTruth> truth)
    {
        var engine = new DetectionEngine(options);
        var alerts = new List<DetectionAlert>();
        var count = 0;
        long nextSilence = long.MinValue;
        foreach (var m in messages)
        {
            count++;
            if (nextSilence == long.MinValue) nextSilence = m.ReceivedMs + SilenceCheckMs;
            for (; m.ReceivedMs >= nextSilence; nextSilence += SilenceCheckMs) alerts.AddRange(engine.CheckSilence(nextSilence).Alerts);
            if (!DeviceTopic.TryParse(m.Topic, out var topic, out _)) continue;
            var building = buildingOf(topic.DeviceId) ?? "unknown";
            var result = topic.Channel switch
            {
                TopicChannel.Telemetry => engine.Process(PayloadReader.ToReading(topic.Kind, topic.DeviceId, building, m.ReceivedMs, m.PayloadJson)),
                TopicChannel.Event => engine.ProcessEvent(PayloadReader.ToEvent(topic.Kind, topic.DeviceId, building, m.ReceivedMs, m.PayloadJson)),
                _ => DetectionResult.Empty,
            };
            alerts.AddRange(result.Alerts);
        }
        return Score(alerts, truth, count);
    }

    private ScenarioReport Score(List<DetectionAlert> alerts, IReadOnlyList<GroundTruth> truth, int messages)
    {
        var outcomes = truth.Select(t => new ScenarioOutcome(t, alerts.Where(a => Matches(a, t, sameFamily: false)).MinBy(a => a.TimestampMs))).ToList();
        var falseAlerts = alerts.Where(a => !truth.Any(t => Matches(a, t, sameFamily: true))).ToList();
        return new ScenarioReport(outcomes, falseAlerts, messages)
        {
            Precision = alerts.Count == 0 ? 1 : (double)(alerts.Count - falseAlerts.Count) / alerts.Count,
        };
    }

    /// <param name="sameFamily">For precision, the single-detector alarms of a confirmed fire (<c>fire.smoke</c> …) are
    /// true alerts too: any type of the expected type's family (the part before the dot) counts.</param>
    private bool Matches(DetectionAlert a, GroundTruth t, bool sameFamily) =>
        (t.DeviceId is null || a.DeviceId == t.DeviceId || a.IncidentType == IncidentTypes.FireConfirmed && a.BuildingId == t.BuildingId) &&
        (t.BuildingId is null || a.BuildingId == t.BuildingId) &&
        (t.ExpectedType is null || a.IncidentType == t.ExpectedType || sameFamily && Family(a.IncidentType) == Family(t.ExpectedType)) &&
        a.TimestampMs >= t.StartMs && a.TimestampMs <= t.EndMs + GraceMs;

    private static string Family(string type) => type[..Math.Max(0, type.IndexOf('.'))];
}
