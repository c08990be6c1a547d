using Smart.Detection.Rules;
using Smart.Detection.Streaming;

namespace Smart.Detection.State;

/// <summary>What the engine keeps about one metric of one device (of one charger port): the detector ensemble with the
/// engine's counters in the same object, so a reading reaches all of it with one lookup and one memory access chain
/// (10 000 devices' state is not in cache).</summary>
internal sealed class MetricSlot(double resolution) : MetricDetector(resolution: resolution)
{
    /// <summary>Exact-repetition stuck tracker.</summary>
    public RepeatTracker Repeats = new();
    /// <summary>Consecutive readings scored at or above <see cref="StatisticalOptions.IncidentScore"/>.</summary>
    public int HighRun;
}

/// <summary>The state of one channel of a device: a charging station reports each port in its own message (DESIGN §5
/// <c>port</c>), so persistence counters, temperature history, alert levels and the metrics' detectors are per port;
/// port 0 is the device itself (<see cref="DeviceState"/>), the only channel of every device without ports.</summary>
internal class PortState
{
    public RuleState Rules { get; } = new();
    public AlertGate Gate { get; } = new();
    /// <summary>By metric name.</summary>
    public Dictionary<string, MetricSlot> Metrics { get; } = new(StringComparer.Ordinal);
}
