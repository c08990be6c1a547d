using Smart.Detection.Streaming;

namespace Smart.Detection.Nab;

/// <summary>Runs the layer-2 detectors over one <c>timestamp,value</c> series, row by row with no look-ahead,
/// and returns one anomaly score per row in [0,1] (the NAB results format).</summary>
public static class NabDetector
{
    public static string Variant { get; set; } = "record";
    public static double HalfLife { get; set; } = 2000;
    public static int Warm { get; set; } = 150;

    public static double[] Run(IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values)
    {
        var detector = new MetricDetector();
        var likelihood = new AnomalyLikelihood();
        var scores = new double[values.Count];
        double peak = 0;
        var decay = Math.Exp(-Math.Log(2) / HalfLife);
        for (var i = 0; i < values.Count; i++)
        {
            var d = detector.Update(NabCorpus.ToUnixMs(timestamps[i]), values[i]);
            var e = Math.Min(d.Evidence, 50);
            switch (Variant)
            {
                case "raw": scores[i] = e / (1 + e); break;
                case "likelihood": scores[i] = likelihood.Update(Math.Min(d.Evidence, 10)); break;
                default:
                    var ratio = i < Warm ? 0 : e / Math.Max(peak, 1.0);
                    scores[i] = ratio / (1 + ratio);
                    peak = Math.Max(peak * decay, e);
                    break;
            }
        }
        return scores;
    }
}
