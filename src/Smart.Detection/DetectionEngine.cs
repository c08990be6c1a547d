using System.Collections.Concurrent;
using Smart.Core;
using Smart.Detection.Correlation;
using Smart.Detection.Rules;
using Smart.Detection.State;
using Smart.Core.Incidents;

namespace Smart.Detection;

/// <summary>Runs the three detection layers (DESIGN §7) on every reading and event. One engine per host process;
/// calls for different devices run concurrently (state is per device, each device locked on its own), calls for
/// one device are serialised. Feed each device's messages in arrival order (a reading older than the device's latest
/// is handled as late, see <see cref="Process"/>).</summary>
public sealed partial class DetectionEngine
{
    private readonly ConcurrentDictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
    private readonly FireCorrelator _fire;
    /// <summary>Outages under way, by building (<see cref="CheckSilence"/>).</summary>
    private readonly Dictionary<string, BuildingOutage> _outages = new(StringComparer.Ordinal);
    /// <summary>The rule hits of the reading being processed (they never leave <see cref="Process"/>).</summary>
    [ThreadStatic] private static List<RuleHit>? t_hits;

    public DetectionEngine(DetectionOptions? options = null)
    {
        Options = options ?? new DetectionOptions();
        _fire = new FireCorrelator(Options.Correlation);
    }

    public DetectionOptions Options { get; }

    /// <summary>Number of devices with state.</summary>
    public int DeviceCount => _devices.Count;

    /// <summary>Runs the rules (layer 1), the streaming detectors on every numeric metric (layer 2) and the
    /// correlation (layer 3) on one telemetry reading. A <em>late</em> reading — older than the latest one of its device
    /// (charger port), by at most <see cref="DetectionOptions.LateReadingMaxMs"/>, or a repeat of it (the same time: a
    /// QoS 1 redelivery or the device resending, which would otherwise count twice towards a rule's persistence, e.g.
    /// two over-current readings) — runs none of them: the streaming detectors and the persistence counters see each series once,
    /// in time order, and never look ahead; rules fire on the newest state. It only joins a rule's history of its metric
    /// in time order (a manhole cover's upload of level pings from before its last uplink, the baseline of the flood onset
    /// test), and it counts as the device being heard (<see cref="CheckSilence"/>). No scores, no alerts.</summary>
    public DetectionResult Process(ReadingInput reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var state = StateFor(reading.DeviceId, reading.Kind, reading.BuildingId);
        lock (state)
        {
            state.Seen(reading.TimestampMs);
            var hits = t_hits ??= [];
            hits.Clear();
            var port = reading.Kind == DeviceKind.Charger && reading.TryGet("port", out var p) && p == Math.Floor(p) ? (int)p : 0;
            var channel = state.Channel(port);
            if (reading.TimestampMs <= channel.Rules.LatestReadingMs && channel.Rules.LatestReadingMs - reading.TimestampMs <= Options.LateReadingMaxMs)
            {
                if (reading.Kind == DeviceKind.Manhole) ManholeRules.Backfill(channel.Rules, reading);
                return DetectionResult.Empty;
            }
            channel.Rules.LatestReadingMs = reading.TimestampMs;
            EvaluateRules(channel.Rules, reading, hits);
            var scores = ScoreMetrics(state, channel, reading, hits, port);
            var raised = channel.Gate.ApplyLevel(hits, reading.TimestampMs, Options.FlapHoldoffMs);
            return Finish(state, reading.TimestampMs, raised, scores, reading);
        }
    }

    /// <summary>Forgets what the device's findings raised, so every condition still present is raised again at its next
    /// reading: for a device whose maintenance (维护) ended, whose findings meanwhile were not made incidents (a gauge
    /// left reading high, a detector still in alarm must not stay silent until it clears). No-op for an unknown device.</summary>
    public void ReopenAlerts(string deviceId)
    {
        if (!_devices.TryGetValue(deviceId, out var state)) return;
        lock (state)
        {
            state.Gate.Reopen();
            foreach (var port in state.Ports.Values) port.Gate.Reopen();
            state.OfflineRaised = false;
        }
    }

    /// <summary>Runs the event rules (manual call point, lid opened, falling object, tamper).</summary>
    public DetectionResult ProcessEvent(EventInput evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var state = StateFor(evt.DeviceId, evt.Kind, evt.BuildingId);
        lock (state)
        {
            state.Seen(evt.TimestampMs);
            var hit = EventRules.Evaluate(Options, evt);
            if (hit is null || !state.Gate.ApplyMomentary(hit.Value, evt.TimestampMs, Options.EventHoldoffMs))
                return DetectionResult.Empty;
            return Finish(state, evt.TimestampMs, [hit.Value], [], null);
        }
    }

    /// <summary>A device's retained status / will message (<c>{"online":false}</c>): it is reported offline by
    /// <see cref="CheckSilence"/> once the grace period passes without it coming back.</summary>
    public void ProcessStatus(string deviceId, DeviceKind kind, string buildingId, long timestampMs, bool online)
    {
        var state = StateFor(deviceId, kind, buildingId);
        lock (state)
        {
            if (online) state.Seen(timestampMs);
            else if (state.OfflineSinceMs == long.MinValue) state.OfflineSinceMs = timestampMs;
        }
    }

    /// <summary>Layer 3 for a fire alert this engine did not raise itself: another host's (with a shared subscription,
    /// the detectors of one building may be read by different hosts) or one it already saw (ignored: the same device
    /// again). Returns the <c>fire.confirmed</c> alert when it completes a confirmation; null for other types.</summary>
    public DetectionAlert? CorrelateFire(DetectionAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return _fire.Observe(alert);
    }

    private void EvaluateRules(RuleState rules, ReadingInput r, List<RuleHit> hits)
    {
        switch (r.Kind)
        {
            case DeviceKind.Fire: FireRules.Evaluate(Options.Fire, rules, r, hits); break;
            case DeviceKind.Manhole: ManholeRules.Evaluate(Options.Manhole, rules, r, hits); break;
            case DeviceKind.Charger: ChargerRules.Evaluate(Options.Charger, rules, r, hits); break;
            case DeviceKind.Camera: CameraRules.Evaluate(Options.Camera, rules, r, hits); break;
            default: throw new ArgumentOutOfRangeException(nameof(r), r.Kind, "Unknown device kind.");
        }
    }

    private DetectionResult Finish(DeviceState state, long tsMs, IReadOnlyList<RuleHit> raised, List<AnomalyScore> scores, ReadingInput? reading)
    {
        if (raised.Count == 0) return scores.Count == 0 ? DetectionResult.Empty : new DetectionResult(scores, [], []);
        var alerts = new List<DetectionAlert>(raised.Count + 1);
        var commands = new List<DeviceCommand>();
        foreach (var hit in raised)
        {
            var alert = new DetectionAlert(state.DeviceId, state.Kind, state.BuildingId, hit.Type, hit.Severity, hit.Metric, hit.Value, hit.Reason, tsMs);
            // A confirmation goes first: the alarm that completed it then joins the confirmed fire's incident.
            if (_fire.Observe(alert) is { } confirmed) alerts.Add(confirmed);
            alerts.Add(alert);
            // The precursor warns; power is cut once the runaway is confirmed (P1), so a port is not locked on a warning.
            if (hit.Type == IncidentTypes.ChargerThermalRunaway && hit.Severity <= IncidentTypes.DefaultSeverity(hit.Type))
                commands.Add(CutPower(state, reading, hit));
        }
        return new DetectionResult(scores, alerts, commands);
    }

    private static DeviceCommand CutPower(DeviceState state, ReadingInput? reading, RuleHit hit)
    {
        var port = reading is not null && reading.TryGet("port", out var p) ? (int)p : 0;
        return new DeviceCommand(state.DeviceId, state.Kind, $"{{\"cmd\":\"cut_power\",\"port\":{port}}}", hit.Reason);
    }

    private DeviceState StateFor(string deviceId, DeviceKind kind, string buildingId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var state = _devices.GetOrAdd(deviceId, static (id, a) => new DeviceState(id, a.kind, a.buildingId), (kind, buildingId));
        if (state.Kind != kind)
            throw new ArgumentException($"Device '{deviceId}' is a {state.Kind.Name()} device, not {kind.Name()}; the registry and the topic disagree.", nameof(kind));
        // Not written when unchanged: the shared state's cache line stays clean (the usual case).
        if (!ReferenceEquals(state.BuildingId, buildingId)) state.BuildingId = buildingId;
        return state;
    }
}
