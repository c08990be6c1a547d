using Smart.Core;

namespace Smart.Host.Bridge;

/// <summary>One live sample for the screens.</summary>
public sealed record LiveSample(string DeviceId, string Kind, string Metric, double Value, long Ts);

/// <summary>
/// What the ops-centre screen shows live: message rate per kind and a few recent samples. The bridge records every
/// message cheaply (an Interlocked add); <see cref="TakeSnapshot"/> runs once a second.
/// </summary>
public sealed class LiveTelemetry
{
    private const int MaxSamples = 20;
    private readonly long[] _byKind = new long[DeviceKinds.All.Count];
    private readonly LiveSample?[] _samples = new LiveSample?[MaxSamples];
    private long _lastSnapshotTicks = Environment.TickCount64;
    private int _sampleIndex;

    public void Record(DecodedMessage m)
    {
        Interlocked.Increment(ref _byKind[(int)m.Device.Kind]);
        // One in 64 readings becomes a visible sample: enough for a live chart, nothing for the hot path. Status and
        // event messages count in the rate but are not readings ("online 1" is not a measurement).
        if (m.Channel != TopicChannel.Telemetry || (m.Seq ?? m.TimestampMs) % 64 != 0 || m.Fields.Count == 0) return;
        var f = m.Fields[0];
        if (f.Type == FieldType.Text) return;
        var i = Interlocked.Increment(ref _sampleIndex) % MaxSamples;
        _samples[i] = new LiveSample(m.Device.Id, m.Device.Kind.Name(), f.Name, f.Number, m.TimestampMs);
    }

    /// <summary>Rates since the last snapshot, and the current samples.</summary>
    public (double MsgsPerSec, Dictionary<string, double> ByKind, LiveSample[] Samples) TakeSnapshot()
    {
        var now = Environment.TickCount64;
        var seconds = Math.Max(0.001, (now - Interlocked.Exchange(ref _lastSnapshotTicks, now)) / 1000.0);
        var byKind = new Dictionary<string, double>();
        double total = 0;
        foreach (var kind in DeviceKinds.All)
        {
            var n = Interlocked.Exchange(ref _byKind[(int)kind], 0);
            byKind[kind.Name()] = n / seconds;
            total += n;
        }
        return (total / seconds, byKind, _samples.Where(s => s is not null).Select(s => s!).OrderBy(s => s.Ts).ToArray());
    }
}
