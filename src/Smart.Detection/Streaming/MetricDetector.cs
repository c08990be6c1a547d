using System.Runtime.CompilerServices;

namespace Smart.Detection.Streaming;

/// <summary>Which optional parts run. CUSUM helps on IoT level shifts (a drifting sensor) but costs NAB points,
/// whose real series shift level often without it being an anomaly.</summary>
internal sealed record MetricDetectorOptions(bool SpectralResidual = true, bool Cusum = true)
{
    public static MetricDetectorOptions Default { get; } = new();
}

/// <summary>What the detectors say about one reading of one metric.</summary>
/// <param name="Score">Combined score in [0,1].</param>
/// <param name="Detector">The component that carried the score: baseline, forecast, daily, weekly, spectral_residual, cusum, stuck.</param>
/// <param name="Evidence">The combined evidence in σ units (the score is erf(evidence/√2)).</param>
internal readonly record struct DetectorOutput(double Score, string Detector, double Expected, double Evidence, bool Stuck, int FlatRun)
{
    public string Reason => Detector switch
    {
        "stuck" => $"数值连续 {FlatRun} 次不变 / value unchanged for {FlatRun} readings",
        "cusum" => $"均值持续偏移 / sustained level shift (CUSUM {Evidence:0.0})",
        "spectral_residual" => $"频谱残差显著 / spectral-residual saliency {Evidence:0.0}",
        "daily" or "weekly" => $"偏离{(Detector == "daily" ? "日" : "周")}周期常态 {Evidence:0.0}σ / {Evidence:0.0}σ off the {Detector} profile",
        "forecast" => $"偏离预测 {Evidence:0.0}σ / {Evidence:0.0}σ off the one-step forecast",
        _ => $"偏离基线 {Evidence:0.0}σ / {Evidence:0.0}σ off the robust baseline",
    };
}

/// <summary>Per-metric streaming detector ensemble (layer 2), each part seeing only the past: four forecasters of
/// "normal" — robust EWMA baseline, last value (random walk), daily and weekly seasonal profiles — each with its
/// own running error; the residual of the currently most accurate forecaster is the point evidence. Spectral
/// Residual saliency and CUSUM add evidence for shapes and shifts; a flat-line detector finds stuck sensors.
/// About 2.6 KiB of state.</summary>
/// <param name="resolution">The sensor's resolution in the metric's unit; σ never goes below it.</param>
internal class MetricDetector(MetricDetectorOptions? options = null, double resolution = 0)
{
    private readonly MetricDetectorOptions _options = options ?? MetricDetectorOptions.Default;

    public const int BaselineWindow = 100;
    public const int Warmup = 20;
    private const long DayMs = 86_400_000;
    private static readonly double BaselineAlpha = 2.0 / (BaselineWindow + 1);
    private static readonly string[] Names = ["baseline", "forecast", "daily", "weekly"];

    private RobustBaseline _level;
    private double _prev = double.NaN;
    // Every part is a struct held by value: one object per metric, so a reading of a metric whose state is not in
    // cache waits for independent memory accesses, not for a chain of them.
    private SeasonalSlots _daily = new(DayMs);
    private SeasonalSlots _weekly = new(7 * DayMs);
    private ForecastErrors _errors;
    private SpectralResidual _sr;
    private Cusum _cusum;
    private FlatLine _flat;


    /// <summary>The running errors of the four forecasters (baseline, forecast, daily, weekly), inline.</summary>
    [InlineArray(Count)]
    private struct ForecastErrors
    {
        public const int Count = 4;
        private ForecastError _first;
    }

    public DetectorOutput Update(long tsMs, double x, int stuckReadings = 60, long stuckMinMs = 30 * 60_000)
    {
        var noiseBefore = NoiseSigma();
        Span<double> forecast = [_level.Count == 0 ? double.NaN : _level.Mean, _prev, _daily.Update(tsMs, x), _weekly.Update(tsMs, x)];
        var zLevel = _level.Update(x, BaselineAlpha, Warmup, resolution);
        _prev = x;
        var best = -1;
        var bestZ = 0.0;
        for (var m = 0; m < forecast.Length; m++)
        {
            if (double.IsNaN(forecast[m])) continue;
            var sigma = _errors[m].Sigma(x, resolution);
            var z = _errors[m].Update(x - forecast[m], x, Warmup, resolution);
            if (double.IsNaN(z)) continue;
            // The most accurate model lately wins; among equally accurate ones (all at the resolution floor, e.g.
            // a metric that was constant) the one that explains this point best.
            var bestSigma = best < 0 ? double.PositiveInfinity : _errors[best].Sigma(x, resolution);
            if (sigma < bestSigma * (1 - 1e-9) || (sigma <= bestSigma * (1 + 1e-9) && Math.Abs(z) < Math.Abs(bestZ))) (best, bestZ, bestSigma) = (m, z, sigma);
        }
        var sr = _options.SpectralResidual ? _sr.Update(x) : 0;
        var cusum = _options.Cusum ? _cusum.Update(zLevel) : 0;
        var run = _flat.Update(tsMs, x, noiseBefore, Math.Max(resolution, 0), stuckReadings, stuckMinMs, out var stuck);

        var (evidence, detector, expected) = best < 0 ? (0.0, "baseline", x) : (Math.Abs(bestZ), Names[best], forecast[best]);
        if (sr / 2 > evidence) (evidence, detector) = (sr / 2, "spectral_residual");
        if (cusum * 3 > evidence) (evidence, detector) = (cusum * 3, "cusum");
        if (stuck) (evidence, detector) = (Math.Max(evidence, 4), "stuck");
        return new DetectorOutput(ToScore(evidence), detector, expected, evidence, stuck, run);
    }

    /// <summary>The metric's noise: the error of its best forecaster (the level spread would count a daily cycle
    /// or a charging taper as noise).</summary>
    private double NoiseSigma()
    {
        var sigma = _level.Sigma;
        foreach (var e in _errors)
            if (e.Count >= Warmup) sigma = Math.Min(sigma, e.Mae * 1.2533141373155);
        return sigma;
    }

    /// <summary>Two-sided Gaussian confidence of |z| = evidence: 3σ → 0.9973, 4σ → 0.99994.</summary>
    public static double ToScore(double evidence) => MathNet.Numerics.SpecialFunctions.Erf(evidence / Math.Sqrt(2));

    public void Write(BinaryWriter w)
    {
        _level.Write(w); w.Write(_prev);
        _daily.Write(w); _weekly.Write(w);
        foreach (var e in _errors) e.Write(w);
        _sr.Write(w); _cusum.Write(w); _flat.Write(w);
    }

    public void Read(BinaryReader r)
    {
        _level.Read(r); _prev = r.ReadDouble();
        _daily.Read(r); _weekly.Read(r);
        for (var i = 0; i < ForecastErrors.Count; i++) _errors[i].Read(r);
        _sr.Read(r); _cusum.Read(r); _flat.Read(r);
    }
}
