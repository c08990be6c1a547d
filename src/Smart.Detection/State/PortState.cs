using Smart.Detection.Rules;
using Smart.Detection.Streaming;

namespace Smart.Detection.State;

/// <summary>What the engine keeps about one metric of one device (of one charger port): its detectors and counters,
/// found with one lookup per reading.</summary>
internal sealed class MetricSlot(MetricDetector detector, RepeatTracker repeats)
{
    public MetricDetector Detector { get; } = detector;
    /// <summary>Exact-repetition stuck tracker.</summary>
    public RepeatTracker Repeats { get; set; } = repeats;
    /// <summary>Consecutive readings scored at or above <see cref="StatisticalOptions.IncidentScore"/>.</summary>
    public int HighRun { get; set; }
}

/// <summary>The state of one channel of a device: a charging station reports each port in its own message (DESIGN §5
/// <c>port</c>), so persistence counters, temperature history, alert levels and the metrics' detectors are per port;
/// port 0 is the device itself (and every device without ports).</summary>
internal sealed class PortState
{
    public RuleState Rules { get; } = new();
    public AlertGate Gate { get; } = new();
    /// <summary>By metric name.</summary>
    public Dictionary<string, MetricSlot> Metrics { get; } = new(StringComparer.Ordinal);
}
