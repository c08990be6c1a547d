using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Detection.Evaluation;

/// <summary>One labelled anomaly injected by firmware-sim: which device (or building) and when.</summary>
/// <param name="ExpectedType">The incident type that should be raised, e.g. <c>fire.confirmed</c>; null = any.</param>
/// <param name="StartMs">When the expected incident's condition starts (the scenario's onset plus the expectation's offset,
/// e.g. heat 60 s after the smoke of a fire).</param>
public sealed record GroundTruth(string Scenario, string? DeviceId, string? BuildingId, long StartMs, long EndMs, string? ExpectedType)
{
    /// <summary>The scenario's onset on this device (before any offset); <see cref="StartMs"/> when not given.</summary>
    public long? OnsetMs { get; init; }
}

/// <summary>A message as firmware-sim published it (or as recorded from the broker).</summary>
public sealed record RecordedMessage(long ReceivedMs, string Topic, string PayloadJson);

/// <param name="FirstAlert">The first alert of the expected type.</param>
/// <param name="FirstAnyAlert">The first alert of any type about the scenario (what an operator sees first, e.g. a
/// detector's own alarm before the confirmed fire).</param>
/// <param name="FirstFullAlert">The first alert of the expected type at its full severity
/// (<see cref="IncidentTypes.DefaultSeverity"/> or above): an early warning confirmed, e.g. a runaway precursor upgraded
/// to P1 with <c>cut_power</c>.</param>
public sealed record ScenarioOutcome(GroundTruth Truth, DetectionAlert? FirstAlert, DetectionAlert? FirstAnyAlert = null, DetectionAlert? FirstFullAlert = null)
{
    public bool Detected => FirstAlert is not null;
    /// <summary>From the expectation's start (<see cref="GroundTruth.StartMs"/>) to the first alert of the expected type.</summary>
    public double? DelaySeconds => FirstAlert is null ? null : (FirstAlert.TimestampMs - Truth.StartMs) / 1000.0;
    /// <summary>From the scenario's onset to the first alert of the expected type.</summary>
    public double? DelayFromOnsetSeconds => FirstAlert is null ? null : (FirstAlert.TimestampMs - (Truth.OnsetMs ?? Truth.StartMs)) / 1000.0;
    /// <summary>From the scenario's onset to the first alert of the expected type at its full severity.</summary>
    public double? FullFromOnsetSeconds => FirstFullAlert is null ? null : (FirstFullAlert.TimestampMs - (Truth.OnsetMs ?? Truth.StartMs)) / 1000.0;
    /// <summary>From the scenario's onset to the first alert of any type about it.</summary>
    public double? FirstAnyFromOnsetSeconds => FirstAnyAlert is null ? null : (FirstAnyAlert.TimestampMs - (Truth.OnsetMs ?? Truth.StartMs)) / 1000.0;
}

/// <summary>An alert as the run raised it, and the scenario instance it is about (e.g. <c>fire-building#0</c>: its device,
/// or its building for a building-wide one, from its onset to <see cref="ScenarioEvaluator.GraceMs"/> after its end);
/// null when it is about none.</summary>
public sealed record ScenarioAlert(DetectionAlert Alert, string? Scenario);

public sealed record ScenarioReport(IReadOnlyList<ScenarioOutcome> Outcomes, IReadOnlyList<DetectionAlert> FalseAlerts, int Messages)
{
    /// <summary>Every alert of the run in the order the engine raised it (what the host hands its alert sink).</summary>
    public IReadOnlyList<ScenarioAlert> Alerts { get; init; } = [];

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
            // Scored on the time the message arrived: device clocks are skewed (a lid-open event stamped 0.3 s before the
            // scenario's onset is still that scenario), and the delay an operator sees runs from arrival.
            foreach (var a in result.Alerts) alerts.Add(a with { TimestampMs = m.ReceivedMs });
        }
        return Score(alerts, truth, count);
    }

    private ScenarioReport Score(List<DetectionAlert> alerts, IReadOnlyList<GroundTruth> truth, int messages)
    {
        var outcomes = truth.Select(t => new ScenarioOutcome(t, alerts.Where(a => Matches(a, t)).MinBy(a => a.TimestampMs),
            alerts.Where(a => AboutScenario(a, t)).MinBy(a => a.TimestampMs),
            alerts.Where(a => Matches(a, t) && a.Severity <= IncidentTypes.DefaultSeverity(a.IncidentType)).MinBy(a => a.TimestampMs))).ToList();
        var falseAlerts = alerts.Where(a => !truth.Any(t => During(a, t))).ToList();
        return new ScenarioReport(outcomes, falseAlerts, messages)
        {
            Precision = alerts.Count == 0 ? 1 : (double)(alerts.Count - falseAlerts.Count) / alerts.Count,
            Alerts = [.. alerts.Select(a => new ScenarioAlert(a, truth.FirstOrDefault(t => AboutScenario(a, t))?.Scenario))],
        };
    }

    /// <summary>Any alert about the scenario's device (or building) from its onset on.</summary>
    private bool AboutScenario(DetectionAlert a, GroundTruth t) =>
        During(a, t with { StartMs = t.OnsetMs ?? t.StartMs });

    private bool Matches(DetectionAlert a, GroundTruth t) =>
        (t.ExpectedType is null || a.IncidentType == t.ExpectedType) && During(a, t);

    /// <summary>An alert about a scenario's device (or, for a building-wide scenario, its building) while the scenario
    /// runs is about that real event whatever its type (the single-detector alarms of a confirmed fire, a layer-2
    /// <c>sensor.anomaly</c> on CO rising before the UL 2034 dose is reached): not a false incident.</summary>
    private bool During(DetectionAlert a, GroundTruth t) =>
        (t.DeviceId is null || a.DeviceId == t.DeviceId || a.IncidentType == IncidentTypes.FireConfirmed && a.BuildingId == t.BuildingId) &&
        (t.BuildingId is null || a.BuildingId == t.BuildingId) &&
        a.TimestampMs >= t.StartMs && a.TimestampMs <= t.EndMs + GraceMs;
}
