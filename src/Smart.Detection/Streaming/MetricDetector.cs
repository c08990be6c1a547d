namespace Smart.Detection.Streaming;

/// <summary>What the detectors say about one reading of one metric.</summary>
/// <param name="Score">Combined score in [0,1].</param>
/// <param name="Detector">The component that carried the score: baseline, forecast, seasonal, spectral_residual, cusum, stuck.</param>
/// <param name="Evidence">The combined evidence in σ units (the score is erf(evidence/√2)).</param>
internal readonly record struct DetectorOutput(double Score, string Detector, double Expected, double Evidence, bool Stuck, int FlatRun)
{
    public string Reason => Detector switch
    {
        "stuck" => $"数值连续 {FlatRun} 次不变 / value unchanged for {FlatRun} readings",
        "cusum" => $"均值持续偏移 / sustained level shift (CUSUM {Evidence:0.0})",
        "spectral_residual" => $"频谱残差显著 / spectral-residual saliency {Evidence:0.0}",
        "seasonal" => $"偏离同时段常态 {Evidence:0.0}σ / {Evidence:0.0}σ off this hour's profile",
        "forecast" => $"偏离预测 {Evidence:0.0}σ / {Evidence:0.0}σ off the one-step forecast",
        _ => $"偏离基线 {Evidence:0.0}σ / {Evidence:0.0}σ off the robust baseline",
    };
}

/// <summary>Per-metric streaming detector ensemble (layer 2): robust EWMA baseline, one-step forecast residual,
/// daily seasonal profile, Spectral Residual saliency, CUSUM and flat-line. Each sees only the past.
/// A point is unusual only when no model of "normal" explains it: the prediction evidence is the smallest
/// |z| among the baseline, forecast and (once trusted) seasonal models; SR and CUSUM add evidence for shapes
/// and shifts the point models miss. About 1.3 KiB of state.</summary>
internal sealed class MetricDetector
{
    public const int BaselineWindow = 100;
    public const int Warmup = 20;
    private static readonly double BaselineAlpha = 2.0 / (BaselineWindow + 1);

    private RobustBaseline _level;
    private RobustBaseline _step;
    private double _prev = double.NaN;
    private readonly SeasonalProfile _seasonal = new();
    private readonly SpectralResidual _sr = new();
    private Cusum _cusum;
    private FlatLine _flat;

    public DetectorOutput Update(long tsMs, double x, int stuckReadings = 60, long stuckMinMs = 30 * 60_000)
    {
        var sigmaBefore = _level.Sigma;
        var levelExpected = _level.Count == 0 ? x : _level.Mean;
        var zLevel = _level.Update(x, BaselineAlpha, Warmup);
        var stepExpected = double.IsNaN(_prev) ? x : _prev + _step.Mean;
        var zStep = double.IsNaN(_prev) ? 0 : _step.Update(x - _prev, BaselineAlpha, Warmup);
        _prev = x;
        var (zSeason, seasonExpected) = _seasonal.Update(tsMs, x, 0.3);
        var sr = _sr.Update(x);
        var cusum = _cusum.Update(zLevel);
        var run = _flat.Update(tsMs, x, sigmaBefore, stuckReadings, stuckMinMs, out var stuck);

        var (evidence, detector, expected) = Math.Abs(zLevel) <= Math.Abs(zStep)
            ? (Math.Abs(zLevel), "baseline", levelExpected)
            : (Math.Abs(zStep), "forecast", stepExpected);
        if (!double.IsNaN(seasonExpected) && Math.Abs(zSeason) < evidence)
            (evidence, detector, expected) = (Math.Abs(zSeason), "seasonal", seasonExpected);
        if (sr / 2 > evidence) (evidence, detector) = (sr / 2, "spectral_residual");
        if (cusum * 3 > evidence) (evidence, detector) = (cusum * 3, "cusum");
        if (stuck) (evidence, detector, expected) = (Math.Max(evidence, 4), "stuck", levelExpected);
        return new DetectorOutput(ToScore(evidence), detector, expected, evidence, stuck, run);
    }

    /// <summary>Two-sided Gaussian confidence of |z| = evidence: 3σ → 0.9973, 4σ → 0.99994.</summary>
    public static double ToScore(double evidence) => MathNet.Numerics.SpecialFunctions.Erf(evidence / Math.Sqrt(2));

    public void Write(BinaryWriter w)
    {
        _level.Write(w); _step.Write(w); w.Write(_prev);
        _seasonal.Write(w); _sr.Write(w); _cusum.Write(w); _flat.Write(w);
    }

    public void Read(BinaryReader r)
    {
        _level.Read(r); _step.Read(r); _prev = r.ReadDouble();
        _seasonal.Read(r); _sr.Read(r); _cusum.Read(r); _flat.Read(r);
    }
}
