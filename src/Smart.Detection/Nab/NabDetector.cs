using Smart.Detection.Streaming;

namespace Smart.Detection.Nab;

/// <summary>Options of <see cref="NabDetector"/>; the defaults are the shipped ones (chosen on the dev split
/// from a coarse grid where neighbouring values score within ±2 points, not tuned per file).</summary>
/// <param name="HalfLifeRows">How fast the memory of past surprises fades.</param>
/// <param name="SmoothingAlpha">EWMA weight of the smoothed evidence (finds bursts of moderate surprises).</param>
/// <param name="WarmupRows">Rows before surprises are remembered; scores are 0 for twice as long.</param>
/// <param name="LikelihoodWindow">Long-run window of the anomaly likelihood (rows).</param>
/// <param name="SuppressRows">After a detection (a new record, score &gt; 0.5), later rows are reported at half their
/// score for this many rows unless they beat the detection by <paramref name="BreakThrough"/>×: NAB rewards only
/// the first detection in a window and counts every later one outside it as a false positive (Lavin &amp; Ahmad,
/// "Evaluating real-time anomaly detection algorithms – the Numenta Anomaly Benchmark", ICMLA 2015, §III). Off by
/// default: on the dev split it gains at most +2.9 (standard) at one trigger next to the optimised threshold and loses
/// up to 30 points a notch away, i.e. it fits this split rather than generalising (RESULTS.md "detect").</param>
/// <param name="TriggerScore">Score above which a row counts as a detection for <paramref name="SuppressRows"/>.</param>
public sealed record NabDetectorOptions(
    double HalfLifeRows = 3000, double SmoothingAlpha = 0.3, int WarmupRows = 100, bool Cusum = true, bool SpectralResidual = true,
    int LikelihoodWindow = 1000, int LikelihoodWarmup = 300, int SuppressRows = 0, double BreakThrough = 2.0, double TriggerScore = 0.5);

/// <summary>Runs the layer-2 detectors over one <c>timestamp,value</c> series, row by row with no look-ahead,
/// and returns one anomaly score per row in [0,1] (the NAB results format).
/// The score is "record surprise": three surprise signals — the point evidence of <see cref="MetricDetector"/>,
/// its short EWMA (bursts), and the anomaly likelihood of the evidence (a change in how surprising the series is,
/// e.g. spikes becoming denser) — each divided by its largest value seen before in this series, with that memory
/// fading over <see cref="NabDetectorOptions.HalfLifeRows"/>. A series that is always noisy calibrates itself;
/// only what is more surprising than anything recent gets a ratio above 1. Score = ratio/(1+ratio).</summary>
public static class NabDetector
{
    public static double[] Run(IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values, NabDetectorOptions? options = null)
    {
        var o = options ?? new NabDetectorOptions();
        var detector = new MetricDetector(new MetricDetectorOptions(o.SpectralResidual, o.Cusum));
        var likelihood = new AnomalyLikelihood(o.LikelihoodWindow, o.LikelihoodWarmup);
        var point = new FadingPeak(o.HalfLifeRows, 1.0);
        var burst = new FadingPeak(o.HalfLifeRows, 0.2);
        var change = new FadingPeak(o.HalfLifeRows, 1.0);
        var scores = new double[values.Count];
        double smooth = 0;
        var suppressUntil = -1;
        var detectedRatio = 0.0;
        for (var i = 0; i < values.Count; i++)
        {
            var e = Math.Min(detector.Update(NabCorpus.ToUnixMs(timestamps[i]), values[i]).Evidence, 50);
            smooth += o.SmoothingAlpha * (Math.Min(e, 10) - smooth);
            var l = -Math.Log10(Math.Max(1e-12, 1 - likelihood.Update(Math.Min(e, 10))));
            var ratio = Math.Max(point.Ratio(e), Math.Max(burst.Ratio(smooth), change.Ratio(l)));
            scores[i] = i < 2 * o.WarmupRows ? 0 : ratio / (1 + ratio);
            if (i <= suppressUntil && ratio < o.BreakThrough * detectedRatio) scores[i] *= 0.5;
            else if (scores[i] > o.TriggerScore && o.SuppressRows > 0) (suppressUntil, detectedRatio) = (i + o.SuppressRows, ratio);
            if (i < o.WarmupRows) continue;
            point.Learn(e);
            burst.Learn(smooth);
            change.Learn(l);
        }
        return scores;
    }

    /// <summary>The largest value seen, decaying with a half-life; ratios are taken against at least <c>floor</c>.</summary>
    private sealed class FadingPeak(double halfLife, double floor)
    {
        private readonly double _decay = Math.Exp(-Math.Log(2) / halfLife);
        private double _peak;

        public double Ratio(double x) => x / Math.Max(_peak, floor);
        public void Learn(double x) => _peak = Math.Max(_peak * _decay, x);
    }
}
