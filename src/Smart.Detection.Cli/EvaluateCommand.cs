using System.CommandLine;
using System.Globalization;
using Smart.Detection.Nab;
using Spectre.Console;

namespace Smart.Detection.Cli;

/// <summary><c>evaluate</c>: NAB scores of our detectors (or of a results folder) on a labelled corpus.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "NAB corpus folder (data/, labels/).", DefaultValueFactory = _ => NabCorpus.FindDevSplit() };
        var results = new Option<string?>("--results") { Description = "Score an existing results folder (<category>/<detector>_<file>.csv) instead of running our detectors." };
        var detector = new Option<string>("--detector") { Description = "Detector name prefix of the files in --results.", DefaultValueFactory = _ => "numenta" };
        var perFile = new Option<bool>("--per-file") { Description = "Also print each file's standard-profile score at the optimised threshold." };
        var vigilance = new Option<double?>("--vigilance") { Description = "Override NabDetectorOptions.Vigilance (sensitivity sweeps)." };
        var mask = new Option<double?>("--mask-patterns") { Description = "Override NabDetectorOptions.MaskPatterns (0 = no mask)." };
        var window = new Option<int?>("--resonance-window") { Description = "Override NabDetectorOptions.ResonanceWindow." };
        var perProbation = new Option<int?>("--windows-per-probation") { Description = "Override NabDetectorOptions.WindowsPerProbation." };
        var categories = new Option<int?>("--max-categories") { Description = "Override NabDetectorOptions.MaxCategories." };
        var halfLife = new Option<double?>("--half-life-probations") { Description = "Override NabDetectorOptions.HalfLifeProbations." };
        var warmup = new Option<double?>("--warmup-probations") { Description = "Override NabDetectorOptions.WarmupProbations." };
        var phase = new Option<double?>("--phase-shift") { Description = "Override NabDetectorOptions.PhaseShift (share of a downsampling block; robustness runs)." };
        var noResonance = new Option<bool>("--no-resonance") { Description = "Leave the fuzzy-ART novelty out (the previous detector)." };
        var agreementPower = new Option<double?>("--agreement-power") { Description = "Override NabDetectorOptions.AgreementPower (0 = no agreement penalty)." };
        var agreementPatterns = new Option<double?>("--agreement-patterns") { Description = "Override NabDetectorOptions.AgreementPatterns." };
        var excess = new Option<double?>("--excess-half-lives") { Description = "Override NabDetectorOptions.ExcessHalfLives (1 = a plain fading peak)." };
        var confirm = new Option<int?>("--confirm-rows") { Description = "Override NabDetectorOptions.ConfirmRows (0 = report at once)." };
        var longPower = new Option<double?>("--long-record-power") { Description = "Override NabDetectorOptions.LongRecordPower (0 = off)." };
        var longHalfLives = new Option<double?>("--long-record-half-lives") { Description = "Override NabDetectorOptions.LongRecordHalfLives." };
        var episodeRows = new Option<int?>("--episode-rows") { Description = "Override NabDetectorOptions.EpisodeRows (0 = off)." };
        var episodeMargin = new Option<double?>("--episode-margin") { Description = "Override NabDetectorOptions.EpisodeMargin." };
        var rangeBreak = new Option<double?>("--range-break-factor") { Description = "Override NabDetectorOptions.RangeBreakFactor (1 = off)." };
        var quietShare = new Option<double?>("--range-break-quiet-share") { Description = "Override NabDetectorOptions.RangeBreakQuietShare (0 = no guard)." };
        var breakEpisodes = new Option<int?>("--range-break-episodes") { Description = "Override NabDetectorOptions.RangeBreakEpisodes." };
        var phases = new Option<bool>("--phases") { Description = "Robustness run: score at block phases 0, 0.2 … 0.8 and print each, their mean and the 2-fold split (files sorted; even index = fold A, odd = fold B; threshold optimised per fold)." };
        var cmd = new Command("evaluate", "Score the detectors with the NAB rules (standard, reward_low_FP_rate, reward_low_FN_rate; optimised thresholds; normalised 0–100).")
            { data, results, detector, perFile, vigilance, mask, window, perProbation, categories, halfLife, warmup, phase, noResonance, phases, agreementPower, agreementPatterns, excess, confirm, longPower, longHalfLives, episodeRows, episodeMargin, rangeBreak, quietShare, breakEpisodes };
        cmd.SetAction(r =>
        {
            var o = new NabDetectorOptions(Resonance: !r.GetValue(noResonance));
            if (r.GetValue(vigilance) is { } v) o = o with { Vigilance = v };
            if (r.GetValue(mask) is { } m) o = o with { MaskPatterns = m };
            if (r.GetValue(window) is { } w) o = o with { ResonanceWindow = w };
            if (r.GetValue(perProbation) is { } p) o = o with { WindowsPerProbation = p };
            if (r.GetValue(categories) is { } c) o = o with { MaxCategories = c };
            if (r.GetValue(halfLife) is { } h) o = o with { HalfLifeProbations = h };
            if (r.GetValue(warmup) is { } u) o = o with { WarmupProbations = u };
            if (r.GetValue(phase) is { } s) o = o with { PhaseShift = s };
            if (r.GetValue(agreementPower) is { } ap) o = o with { AgreementPower = ap };
            if (r.GetValue(agreementPatterns) is { } at) o = o with { AgreementPatterns = at };
            if (r.GetValue(excess) is { } ex) o = o with { ExcessHalfLives = ex };
            if (r.GetValue(confirm) is { } cr) o = o with { ConfirmRows = cr };
            if (r.GetValue(longPower) is { } lp) o = o with { LongRecordPower = lp };
            if (r.GetValue(longHalfLives) is { } lh) o = o with { LongRecordHalfLives = lh };
            if (r.GetValue(episodeRows) is { } er) o = o with { EpisodeRows = er };
            if (r.GetValue(episodeMargin) is { } em) o = o with { EpisodeMargin = em };
            if (r.GetValue(rangeBreak) is { } rb) o = o with { RangeBreakFactor = rb };
            if (r.GetValue(quietShare) is { } qs) o = o with { RangeBreakQuietShare = qs };
            if (r.GetValue(breakEpisodes) is { } be) o = o with { RangeBreakEpisodes = be };
            return r.GetValue(phases) ? RunPhases(r.GetValue(data)!, o) : Run(r.GetValue(data)!, r.GetValue(results), r.GetValue(detector)!, r.GetValue(perFile), o);
        });
        return cmd;
    }

    private static int Run(string data, string? results, string detector, bool perFile, NabDetectorOptions options)
    {
        var corpus = NabCorpus.Load(data);
        if (results is not null && corpus.Select(s => ResultPath(results, detector, s.RelativePath)).FirstOrDefault(f => !File.Exists(f)) is { } missing)
            throw new FileNotFoundException($"No results file {missing}: --results expects <category>/{detector}_<file>.csv for every corpus file " +
                $"(e.g. --results {Path.Combine(data, "reference-results", "numenta")}; --detector sets the prefix).", missing);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var scores = results is null
            ? corpus.Select(s => (IReadOnlyList<double>)NabDetector.Run(s.Timestamps, s.Values, options)).ToList()
            : corpus.Select(s => (IReadOnlyList<double>)NabCorpus.ReadCsv(ResultPath(results, detector, s.RelativePath), "anomaly_score").Values).ToList();
        var elapsed = started.Elapsed;
        var report = NabScorer.Evaluate(corpus, scores);
        var table = new Table().Title($"NAB — {(results is null ? "smart-detect" : detector)} on {corpus.Count} files, {corpus.Sum(s => s.Windows.Count)} windows");
        foreach (var c in new[] { "profile", "threshold", "score (0–100)", "raw", "null", "perfect", "TP", "FP", "FN" }) table.AddColumn(c);
        foreach (var p in report)
            table.AddRow(p.Profile, F(p.Threshold, "0.####"), F(p.Normalized, "0.00"), F(p.Raw, "0.00"), F(p.Null, "0.00"), F(p.Perfect, "0.00"),
                p.TruePositives.ToString(CultureInfo.InvariantCulture), p.FalsePositives.ToString(CultureInfo.InvariantCulture), p.FalseNegatives.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        if (perFile) PrintPerFile(corpus, scores, report[0].Threshold);
        var points = corpus.Sum(s => s.Values.Count);
        Console.WriteLine(FormattableString.Invariant(
            $"nab_standard={report[0].Normalized:0.00} nab_low_fp={report[1].Normalized:0.00} nab_low_fn={report[2].Normalized:0.00} points={points} seconds={elapsed.TotalSeconds:0.00}"));
        return 0;
    }

    /// <summary>The detector at the five block phases: standard / low-FP / low-FN on the whole split and standard on
    /// each fold, per phase and averaged (the figures RESULTS.md reports for every variant).</summary>
    private static int RunPhases(string data, NabDetectorOptions options)
    {
        var corpus = NabCorpus.Load(data);
        var folds = new[] { 0, 1 }.Select(f => Enumerable.Range(0, corpus.Count).Where(i => i % 2 == f).ToList()).ToList();
        var rows = new List<double[]>();
        foreach (var shift in new[] { 0, 0.2, 0.4, 0.6, 0.8 })
        {
            var o = options with { PhaseShift = shift };
            var scores = corpus.Select(s => (IReadOnlyList<double>)NabDetector.Run(s.Timestamps, s.Values, o)).ToList();
            var all = NabScorer.Evaluate(corpus, scores);
            var byFold = folds.Select(f => NabScorer.Evaluate(f.Select(i => corpus[i]).ToList(), f.Select(i => scores[i]).ToList())[0].Normalized);
            double[] row = [all[0].Normalized, all[1].Normalized, all[2].Normalized, .. byFold, all[0].TruePositives, all[0].FalsePositives];
            rows.Add(row);
            Console.WriteLine(FormattableString.Invariant(
                $"phase={shift:0.0} standard={row[0]:0.00} low_fp={row[1]:0.00} low_fn={row[2]:0.00} fold_a={row[3]:0.00} fold_b={row[4]:0.00} tp={row[5]} fp={row[6]}"));
        }
        double Mean(int k) => rows.Average(r => r[k]);
        Console.WriteLine(FormattableString.Invariant(
            $"mean standard={Mean(0):0.00} low_fp={Mean(1):0.00} low_fn={Mean(2):0.00} fold_a={Mean(3):0.00} fold_b={Mean(4):0.00} tp={Mean(5):0.0} fp={Mean(6):0.0}"));
        return 0;
    }

    private static void PrintPerFile(IReadOnlyList<NabSeries> corpus, List<IReadOnlyList<double>> scores, double threshold)
    {
        for (var i = 0; i < corpus.Count; i++)
        {
            var sweep = new NabSweep(corpus[i], scores[i]);
            var (score, tp, fp, fn) = NabScorer.ScoreAt(sweep, NabProfile.Standard, threshold);
            double maxIn = 0, maxOut = 0;
            for (var k = 0; k < sweep.Windows.Length; k++)
                if (sweep.Windows[k] >= 0) maxIn = Math.Max(maxIn, scores[i][k]);
                else if (sweep.Windows[k] == NabSweep.Outside) maxOut = Math.Max(maxOut, scores[i][k]);
            Console.WriteLine(FormattableString.Invariant($"{corpus[i].RelativePath,-60} raw={score,7:0.00} tp={tp} fp={fp} fn={fn} maxIn={maxIn:0.000} maxOut={maxOut:0.000}"));
        }
    }

    private static string ResultPath(string results, string detector, string relativePath) =>
        Path.Combine(results, Path.GetDirectoryName(relativePath)!, $"{detector}_{Path.GetFileName(relativePath)}");

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
