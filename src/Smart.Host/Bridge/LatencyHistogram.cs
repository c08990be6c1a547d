using Smart.Host.Metrics;

namespace Smart.Host.Bridge;

/// <summary>
/// Publish → durable latency: device <c>ts</c> to the moment the message's batch was in InfluxDB or the spool. Cumulative
/// Prometheus-style buckets (<c>le</c> in ms), so a reader takes the difference of two scrapes for a window's percentiles.
/// Lock-free: one writer (the acker), any number of readers.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds in ms (1-2-5 series up to 2 min); the last bucket is +Inf.</summary>
    public static readonly long[] BoundsMs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 120_000];
    private readonly long[] _counts = new long[BoundsMs.Length + 1];
    private long _sumMs;

    public void Observe(long ms)
    {
        var i = 0;
        while (i < BoundsMs.Length && ms > BoundsMs[i]) i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMs, Math.Max(ms, 0));
    }

    public void Write(PrometheusText text, string name, string help)
    {
        long cumulative = 0;
        for (var i = 0; i <= BoundsMs.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            var le = i < BoundsMs.Length ? BoundsMs[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "+Inf";
            text.Counter(name + "_bucket", help, cumulative, ("le", le));
        }
        text.Counter(name + "_count", help + " (count)", cumulative).Counter(name + "_sum", help + " (sum of ms)", Interlocked.Read(ref _sumMs));
    }
}
