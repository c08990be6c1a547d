using Smart.Detection.Streaming;

namespace Smart.Detection.Nab;

/// <summary>Options of <see cref="NabDetector"/>; the defaults are the shipped ones.</summary>
/// <param name="HalfLifeRows">How fast the memory of past surprises fades.</param>
/// <param name="SmoothingAlpha">EWMA weight of the smoothed evidence (detects bursts of moderate surprises).</param>
/// <param name="WarmupRows">Rows before surprises are remembered; scores are 0 for twice as long.</param>
public sealed record NabDetectorOptions(double HalfLifeRows = 3000, double SmoothingAlpha = 0.3, int WarmupRows = 100, bool Cusum = false, bool SpectralResidual = true);

/// <summary>Runs the layer-2 detectors over one <c>timestamp,value</c> series, row by row with no look-ahead,
/// and returns one anomaly score per row in [0,1] (the NAB results format).
/// The score is "record surprise": the point evidence (and its short EWMA) divided by the largest evidence
/// seen before in this series, with that memory fading over <see cref="NabDetectorOptions.HalfLifeRows"/>.
/// A series that is always noisy calibrates itself; only what is more surprising than anything recent scores
/// above 0.5 (ratio 1). Scores are ratio/(1+ratio).</summary>
public static class NabDetector
{
    public static double[] Run(IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values, NabDetectorOptions? options = null)
    {
        var o = options ?? new NabDetectorOptions();
        var detector = new MetricDetector(new MetricDetectorOptions(o.SpectralResidual, o.Cusum));
        var scores = new double[values.Count];
        double peak = 0, peakSmooth = 0, smooth = 0;
        var decay = Math.Exp(-Math.Log(2) / o.HalfLifeRows);
        for (var i = 0; i < values.Count; i++)
        {
            var e = Math.Min(detector.Update(NabCorpus.ToUnixMs(timestamps[i]), values[i]).Evidence, 50);
            smooth += o.SmoothingAlpha * (Math.Min(e, 10) - smooth);
            var ratio = i < 2 * o.WarmupRows ? 0 : Math.Max(e / Math.Max(peak, 1.0), smooth / Math.Max(peakSmooth, 0.2));
            scores[i] = ratio / (1 + ratio);
            if (i < o.WarmupRows) continue;
            peak = Math.Max(peak * decay, e);
            peakSmooth = Math.Max(peakSmooth * decay, smooth);
        }
        return scores;
    }
}
