using Smart.Detection.Nab;

namespace Smart.Detection.Tests.Nab;

/// <summary>The scorer against the reference results shipped with the dev split (its README's table).</summary>
public class NabScorerTests
{
    private static readonly Lazy<IReadOnlyList<NabSeries>> Corpus = new(() => NabCorpus.Load(NabCorpus.FindDevSplit()));

    private static List<IReadOnlyList<double>> Reference(string detector)
    {
        var root = Path.Combine(NabCorpus.FindDevSplit(), "reference-results", detector);
        return Corpus.Value.Select(s => (IReadOnlyList<double>)NabCorpus.ReadCsv(
            Path.Combine(root, Path.GetDirectoryName(s.RelativePath)!, $"{detector}_{Path.GetFileName(s.RelativePath)}"), "anomaly_score").Values).ToList();
    }

    private static Dictionary<string, double> Thresholds(double standard, double lowFp, double lowFn) =>
        new() { ["standard"] = standard, ["reward_low_FP_rate"] = lowFp, ["reward_low_FN_rate"] = lowFn };

    [Theory]
    [InlineData("numenta", 0.5421876907348634, 0.5751955032348636, 0.5421876907348634, 64.85, 58.27, 69.73)]
    [InlineData("windowedGaussian", 1.0, 1.0, 1.0, 27.33, 22.38, 30.18)]
    public void Reproduces_the_published_scores_at_the_shipped_thresholds(string detector, double tStd, double tFp, double tFn, double std, double lowFp, double lowFn)
    {
        var report = NabScorer.Evaluate(Corpus.Value, Reference(detector), Thresholds(tStd, tFp, tFn));
        Assert.Equal([std, lowFp, lowFn], report.Select(p => Math.Round(p.Normalized, 2)));
    }

    [Theory]
    [InlineData("numenta", 64.85, 59.12, 69.85)]
    [InlineData("windowedGaussian", 28.16, 22.38, 31.59)]
    public void Reproduces_the_scores_with_thresholds_optimised_on_the_split(string detector, double std, double lowFp, double lowFn)
    {
        var report = NabScorer.Evaluate(Corpus.Value, Reference(detector));
        Assert.Equal([std, lowFp, lowFn], report.Select(p => Math.Round(p.Normalized, 2)));
    }

    [Fact]
    public void Null_detector_scores_0_and_perfect_detector_100()
    {
        var corpus = Corpus.Value;
        var nulls = corpus.Select(s => (IReadOnlyList<double>)Enumerable.Repeat(0.5, s.Values.Count).ToList()).ToList();
        var perfect = corpus.Select(s => (IReadOnlyList<double>)s.Timestamps.Select(t => s.Windows.Any(w => w.Start == t) ? 1.0 : 0.0).ToList()).ToList();
        Assert.All(NabScorer.Evaluate(corpus, nulls), p => Assert.Equal(0, p.Normalized, 6));
        Assert.All(NabScorer.Evaluate(corpus, perfect), p => Assert.Equal(100, p.Normalized, 6));
    }

    [Theory]
    [InlineData(-1.0, 0.9866)]
    [InlineData(0.0, 0.0)]
    [InlineData(3.5, -1.0)]
    public void Scaled_sigmoid_matches_the_whitepaper(double position, double expected) =>
        Assert.Equal(expected, NabSweep.ScaledSigmoid(position), 4);

    [Fact]
    public void Probation_is_15_percent_capped_at_750_rows()
    {
        Assert.Equal(150, NabSweep.ProbationRows(1000));
        Assert.Equal(750, NabSweep.ProbationRows(22695));
    }

    [Fact]
    public void Only_the_first_detection_in_a_window_counts_and_an_early_one_earns_more()
    {
        var s = Corpus.Value.Single(x => x.RelativePath == "artificialWithAnomaly/art_daily_jumpsup.csv");
        var start = s.Timestamps.ToList().IndexOf(s.Windows[0].Start);
        var end = s.Timestamps.ToList().IndexOf(s.Windows[0].End);
        double ScoreWith(params int[] rows)
        {
            var scores = new double[s.Values.Count];
            foreach (var r in rows) scores[r] = 1;
            return NabScorer.ScoreAt(new NabSweep(s, scores), NabProfile.Standard, 0.5).Score;
        }
        Assert.Equal(1.0, ScoreWith(start), 6);
        Assert.Equal(ScoreWith(start), ScoreWith(start, start + 5, end));
        Assert.True(ScoreWith(start + 10) > ScoreWith(end));
        Assert.Equal(-1.0, ScoreWith(), 6);
    }
}
