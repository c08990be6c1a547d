using Smart.Detection.Streaming;

namespace Smart.Detection.Nab;

/// <summary>Runs the layer-2 detectors over one <c>timestamp,value</c> series, row by row with no look-ahead,
/// and returns one anomaly score per row in [0,1] (the NAB results format).</summary>
public static class NabDetector
{
    public static string Variant { get; set; } = "record";
    public static double HalfLife { get; set; } = 2000;
    public static int Warm { get; set; } = 100;
    public static double Alpha { get; set; } = 0.1;
    public static double Alpha2 { get; set; } = 0.0;
    public static int Refractory { get; set; } = 0;
    public static double RefractoryFactor { get; set; } = 0.5;

    public static double[] Run(IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values)
    {
        var detector = new MetricDetector();
        var likelihood = new AnomalyLikelihood();
        var scores = new double[values.Count];
        double peak = 0, peakS = 0, s = 0, s2 = 0, peakS2 = 0;
        var quietUntil = -1;
        var decay = Math.Exp(-Math.Log(2) / HalfLife);
        for (var i = 0; i < values.Count; i++)
        {
            var d = detector.Update(NabCorpus.ToUnixMs(timestamps[i]), values[i]);
            var e = Math.Min(d.Evidence, 50);
            s += Alpha * (Math.Min(e, 10) - s);
            s2 += Alpha2 * (Math.Min(e, 10) - s2);
            switch (Variant)
            {
                case "raw": scores[i] = e / (1 + e); break;
                case "likelihood": scores[i] = likelihood.Update(Math.Min(d.Evidence, 10)); break;
                case "record2":
                {
                    var ratio = i < 2 * Warm ? 0 : Math.Max(e / Math.Max(peak, 1.0), s / Math.Max(peakS, 0.2));
                    if (Alpha2 > 0 && i >= 2 * Warm) ratio = Math.Max(ratio, s2 / Math.Max(peakS2, 0.2));
                    if (i <= quietUntil) ratio *= RefractoryFactor;
                    else if (ratio >= 1 && Refractory > 0) quietUntil = i + Refractory;
                    scores[i] = ratio / (1 + ratio);
                    if (i >= Warm) { peak = Math.Max(peak * decay, e); peakS = Math.Max(peakS * decay, s); peakS2 = Math.Max(peakS2 * decay, s2); }
                    break;
                }
                default:
                {
                    var ratio = i < 2 * Warm ? 0 : e / Math.Max(peak, 1.0);
                    scores[i] = ratio / (1 + ratio);
                    if (i >= Warm) peak = Math.Max(peak * decay, e);
                    break;
                }
            }
        }
        return scores;
    }
}
