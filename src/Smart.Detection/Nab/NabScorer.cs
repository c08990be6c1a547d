namespace Smart.Detection.Nab;

/// <summary>The score of a detector on a corpus under one profile.</summary>
public sealed record NabProfileScore(string Profile, double Threshold, double Raw, double Null, double Perfect, int TruePositives, int FalsePositives, int FalseNegatives)
{
    /// <summary>100 × (raw − null)/(perfect − null): a detector that always outputs 0.5 scores 0, a perfect one 100.</summary>
    public double Normalized => 100.0 * (Raw - Null) / (Perfect - Null);
}

/// <summary>Scores detections (rows with score ≥ threshold) by NAB's rules, optimises the threshold over the
/// whole corpus, and normalises against the null and perfect detectors.</summary>
public static class NabScorer
{
    /// <summary>Raw score of one series at a threshold, with counts.</summary>
    public static (double Score, int Tp, int Fp, int Fn) ScoreAt(NabSweep sweep, NabProfile p, double threshold)
    {
        var best = new Dictionary<int, double>();
        double fp = 0;
        var fpCount = 0;
        for (var i = 0; i < sweep.Scores.Count; i++)
        {
            var w = sweep.Windows[i];
            if (w == NabSweep.Probation || sweep.Scores[i] < threshold) continue;
            if (w == NabSweep.Outside) { fp += sweep.Weights[i] * p.FalsePositive; fpCount++; }
            else best[w] = Math.Max(best.GetValueOrDefault(w, double.NegativeInfinity), sweep.Weights[i] * p.TruePositive);
        }
        var missed = sweep.ScoredWindowCount - best.Count;
        return (fp + best.Values.Sum() - missed * p.FalseNegative, best.Count, fpCount, missed);
    }

    /// <summary>The threshold maximising the corpus' total raw score (the highest one among ties), found by a
    /// single sweep over all scored rows sorted by descending anomaly score.</summary>
    public static (double Threshold, double Score) Optimise(IReadOnlyList<NabSweep> sweeps, NabProfile p)
    {
        var rows = new List<(double Score, double Weight, int Window)>();
        var windowBase = 0;
        var windows = 0;
        foreach (var s in sweeps)
        {
            for (var i = 0; i < s.Scores.Count; i++)
                if (s.Windows[i] != NabSweep.Probation) rows.Add((s.Scores[i], s.Weights[i], s.Windows[i] < 0 ? -1 : windowBase + s.Windows[i]));
            windowBase += s.Series.Windows.Count;
            windows += s.ScoredWindowCount;
        }
        rows.Sort((a, b) => b.Score.CompareTo(a.Score));
        var windowValue = new Dictionary<int, double>();
        double fp = 0, tpSum = 0;
        double bestScore = -windows * p.FalseNegative, bestThreshold = 1.1;
        for (var k = 0; k < rows.Count; k++)
        {
            var (score, weight, window) = rows[k];
            if (window < 0) fp += weight * p.FalsePositive;
            else
            {
                var v = weight * p.TruePositive;
                if (!windowValue.TryGetValue(window, out var old)) { windowValue[window] = v; tpSum += v; }
                else if (v > old) { windowValue[window] = v; tpSum += v - old; }
            }
            if (k + 1 < rows.Count && rows[k + 1].Score == score) continue;
            var total = fp + tpSum - (windows - windowValue.Count) * p.FalseNegative;
            if (total > bestScore) (bestScore, bestThreshold) = (total, score);
        }
        return (bestThreshold, bestScore);
    }

    /// <summary>Scores a detector's outputs (one list per series, rows in file order) under every profile; with
    /// <paramref name="thresholds"/> null the threshold of each profile is optimised on this corpus.</summary>
    public static IReadOnlyList<NabProfileScore> Evaluate(IReadOnlyList<NabSeries> corpus, IReadOnlyList<IReadOnlyList<double>> scores,
        IReadOnlyDictionary<string, double>? thresholds = null)
    {
        var sweeps = corpus.Select((s, i) => new NabSweep(s, scores[i])).ToList();
        var nullSweeps = corpus.Select(s => new NabSweep(s, Enumerable.Repeat(0.5, s.Values.Count).ToList())).ToList();
        var result = new List<NabProfileScore>();
        foreach (var p in NabProfile.All)
        {
            var threshold = thresholds?[p.Name] ?? Optimise(sweeps, p).Threshold;
            var parts = sweeps.Select(s => ScoreAt(s, p, threshold)).ToList();
            var nullScore = Optimise(nullSweeps, p).Score;
            var perfect = sweeps.Sum(s => s.ScoredWindowCount) * p.TruePositive;
            result.Add(new NabProfileScore(p.Name, threshold, parts.Sum(x => x.Score), nullScore, perfect,
                parts.Sum(x => x.Tp), parts.Sum(x => x.Fp), parts.Sum(x => x.Fn)));
        }
        return result;
    }
}
