using Smart.Detection.Streaming;

namespace Smart.Detection.Nab;

/// <summary>Options of <see cref="NabDetector"/>; the defaults are the shipped ones, chosen on a coarse grid of the
/// dev split (sensitivity in RESULTS.md "detect"), none per file.</summary>
/// <param name="HalfLifeProbations">Half-life of the memory of past surprises, in learning periods (3 × 15 % of the
/// file, at most 2250 rows): scaled with the series like NAB's windows are, rather than a fixed row count.</param>
/// <param name="WarmupProbations">Share of the learning period before surprises are remembered (the series' first
/// rows are mostly start-up transients); scores are 0 for twice as long. Scaled with the series: a fixed 100 rows scored
/// within 0.6 of this on the dev split but lost 9 points at 200 rows; 5–50 % of the learning period stays within 2.4.</param>
/// <param name="LikelihoodWindow">Long-run window of the anomaly likelihood (rows).</param>
/// <param name="SpectralResidual">Off here: on the dev split it changes no score to two decimals (the forecasters and
/// the resonance novelty already see what it sees) and it is 2/3 of the detector's cost.</param>
/// <param name="Resonance">Adds the novelty of <see cref="ResonanceDetector"/> (fuzzy ART) as a third surprise.</param>
/// <param name="Vigilance">Match a pattern needs to resonate with a learned category.</param>
/// <param name="ResonanceWindow">Downsampled points per pattern (ARTime's 8).</param>
/// <param name="WindowsPerProbation">Patterns per probationary period (ARTime's 13): sets the downsampling step.</param>
/// <param name="MaxCategories">Bound on the learned categories.</param>
/// <param name="PhaseShift">Share of a downsampling block by which the resonance detector's blocks are shifted (its first
/// rows skipped). Where the blocks start is arbitrary, so the shipped figure is the mean over shifts 0, 0.2 … 0.8
/// (RESULTS.md); 0 in use. Running 2–6 shifted resonance detectors side by side (their novelty combined by max, mean
/// or min) did not beat the five-phase mean; made invariant (min of five) it scored the same at 3.8× the cost (nab7).</param>
/// <param name="MaskPatterns">A score is reported only when it beats every raw score of the last
/// <c>MaskPatterns</c> resonance patterns (ARTime's 1.5 windows: ≈ 11.5 % of the probationary period); otherwise 0.
/// NAB counts only the first detection in a window and every later one outside it as a false positive; this mask needs
/// no trigger level, so it holds at whatever threshold the profile's optimisation picks. 0 = off.</param>
/// <param name="AgreementPower">Exponent of the agreement penalty: the score is scaled by s^AgreementPower when s, the
/// second-largest of the three surprises' recent ratios, is below 1 (only one view of the series sees a record).
/// 0 = off. Over 0.125–0.5 × 3–8 patterns every setting beats "off" on both folds of the dev split (RESULTS.md, nab5).</param>
/// <param name="AgreementPatterns">Half-life, in resonance patterns, of each surprise's recent ratio used by the
/// agreement penalty (3 mask spans): the views need not peak on the same row — the resonance novelty only moves when
/// a downsampled block completes.</param>
/// <param name="ExcessHalfLives">How many times more slowly a record's excess over the bar it broke fades than the bar
/// itself (<see cref="FadingRecord"/>); 1 = a plain fading peak. 1.5 / 2 / 2.5 all beat 1 on the dev split's five-phase
/// mean, on both folds and on its real files alone (RESULTS.md, nab6).</param>
/// <param name="ConfirmRows">A report is emitted this many rows late, and only if no later report (one that beats it)
/// came in the meantime; that one is then held instead. A surprise often peaks a row after it starts (a record, then a
/// larger one), and NAB counts each row above the threshold outside a window as a false positive; held for one row, the
/// pair is one report. 0 = report at once. 1 gained on every phase, both folds, every ±25 % move of the other knobs
/// but one, and with any one file left out (RESULTS.md, nab7).</param>
/// <param name="LongRecordPower">Exponent of the long-memory damping: the score is scaled by r^LongRecordPower when r,
/// the largest of the three surprises' ratios to the bars of a second, longer memory, is below 1 — a record of the
/// recent memory that the series has clearly outdone within the long one is less news. 0 = off. On the dev split's
/// real files every setting of 0.1–0.5 × 2–8 half-lives gains, on both folds, with any one file left out (RESULTS.md, nab7).</param>
/// <param name="LongRecordHalfLives">Half-life of that long memory, in multiples of the memory's own
/// (<c>HalfLifeProbations</c>): 4 × 3 = 12 learning periods.</param>
/// <param name="EpisodeRows">A report within this many rows of the previous one must beat that report's ratio by
/// <c>EpisodeMargin</c>, else it is dropped: the same event seen again, typically by the change view (the likelihood,
/// whose short window is 10 rows) a few rows after the point view — NAB would charge it as a second false positive.
/// Nothing is delayed. 0 = off.</param>
/// <param name="EpisodeMargin">Share by which such a follow-up report must beat the previous report's ratio
/// (the mask already demands that it beat it at all). On the dev split 5–40 rows at 5 % and 3.75–15 % at 10 rows gain
/// on both folds and on the real files alone; 30 % and more drop windows (RESULTS.md, nab8).</param>
/// <param name="RangeBreakFactor">The ratio of a row whose value lies beyond every value of the series before it
/// (above its maximum or below its minimum so far) is multiplied by this: a level the series has never taken is news
/// by itself, so such a row needs this much less surprise to be reported. On the dev split 15 of the 35 first
/// detections were such rows against 3 of the 98 false positives. 1.5–2.5 gain on both folds and on the real files
/// alone; at 2 every ±25 % move of the other knobs gains and no file left out removes the gain — most on the hourly
/// ad-exchange files, none on realKnownCause at its own threshold (RESULTS.md, nab9). 1 = off.</param>
/// <param name="RangeBreakQuietShare">Guard on <c>RangeBreakFactor</c> for a series that breaks its range routinely (a
/// trend, a growing volume): a break is news only if the side it breaks (maximum or minimum) has been quiet. Breaks on
/// one side less than <c>EpisodeRows</c> apart form one episode; a new episode gets the factor raised to
/// q = min(1, (rows since the end of the <c>RangeBreakEpisodes</c>-th most recent earlier episode on its side) ÷
/// (<c>RangeBreakQuietShare</c> × the rows so far)), and its later breaks keep that q. A stationary series sets about
/// ln 2 ≈ 0.7 new records per side in the last half of its life, so 3 episodes within half its age is a trend. On a
/// synthetic trending corpus it removes 97 of the 107 false positives the unguarded factor adds at the dev split's
/// threshold; on the dev split it scores the same (RESULTS.md, nab10). 0 = no guard.</param>
/// <param name="RangeBreakEpisodes">How many earlier break episodes on a side must lie within the quiet span for a new
/// one to lose its factor (see <c>RangeBreakQuietShare</c>); 1 = the quiet span since the last episode.</param>
public sealed record NabDetectorOptions(
    double HalfLifeProbations = 3, double WarmupProbations = 0.25, bool Cusum = true, bool SpectralResidual = false,
    int LikelihoodWindow = 1000, int LikelihoodWarmup = 300, bool Resonance = true, double Vigilance = 0.95, int ResonanceWindow = 8,
    int WindowsPerProbation = 13, int MaxCategories = 128, double MaskPatterns = 1.5, double PhaseShift = 0,
    double AgreementPower = 0.25, double AgreementPatterns = 4.5, double ExcessHalfLives = 2, int ConfirmRows = 1,
    double LongRecordPower = 0.25, double LongRecordHalfLives = 4, int EpisodeRows = 10, double EpisodeMargin = 0.05,
    double RangeBreakFactor = 2, double RangeBreakQuietShare = 0.5, int RangeBreakEpisodes = 3);

/// <summary>Runs the layer-2 detectors over one <c>timestamp,value</c> series, row by row with no look-ahead, and gives
/// one anomaly score per row in [0,1] (the NAB results format). Knows only the past and the length of its learning
/// period (NAB's probationary period, which NAB hands to every detector).
/// <para>The score is "record surprise": three surprise signals — the point evidence of <see cref="MetricDetector"/>,
/// the anomaly likelihood of that evidence (a change in how surprising the series is) and the novelty of the pattern
/// just completed (<see cref="ResonanceDetector"/>) — each divided by its largest value seen
/// before in this series, with that memory fading over <see cref="NabDetectorOptions.HalfLifeProbations"/> learning
/// periods (a record's excess over the bar it broke fades <see cref="NabDetectorOptions.ExcessHalfLives"/> times more
/// slowly: <see cref="FadingRecord"/>). A series that is always noisy calibrates itself; only what is more surprising than anything recent gets a
/// ratio above 1.
/// The largest ratio is scaled down when the other two views have not recently come near their own records
/// (<see cref="NabDetectorOptions.AgreementPower"/>): a record that only one view sees is more often noise. It is
/// also scaled down when no view comes near its record over a memory four times as long
/// (<see cref="NabDetectorOptions.LongRecordPower"/>), and scaled up on a row whose value lies outside the range of
/// every value before it (<see cref="NabDetectorOptions.RangeBreakFactor"/>) — less so when that side of the range
/// has been broken routinely of late (<see cref="NabDetectorOptions.RangeBreakQuietShare"/>).
/// Score = ratio/(1+ratio), reported only when it is the largest of the last
/// <see cref="NabDetectorOptions.MaskPatterns"/> patterns (so an alarm is raised once, early, per episode) and not
/// beaten within the next <see cref="NabDetectorOptions.ConfirmRows"/> rows — so a report comes that many rows late —
/// and, within <see cref="NabDetectorOptions.EpisodeRows"/> rows of the previous report, only if it beats that one by
/// <see cref="NabDetectorOptions.EpisodeMargin"/>.</para>
/// State: about 37 KiB (the resonance categories dominate) — a NAB/CLI detector, not the host's per-metric one.</summary>
public sealed class NabDetector
{
    private readonly NabDetectorOptions _o;
    private readonly MetricDetector _detector;
    private readonly AnomalyLikelihood _likelihood;
    private readonly ResonanceDetector _resonance;
    private readonly FadingRecord _point, _change, _novelty, _longPoint, _longChange, _longNovelty;
    private readonly double[] _recent;
    private readonly double[] _seen = new double[3];
    private readonly double _seenDecay;
    private readonly int _warmupRows, _phaseRows;
    private long _row;
    private double _pending;
    private int _pendingAge = -1;
    private long _lastReportRow;
    private double _lastReportRatio; // 0 until the first report
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;
    private readonly long[] _minEnds, _maxEnds;
    private double _minQuiet, _maxQuiet;

    /// <param name="learnRows">The learning period in rows (<see cref="NabSweep.ProbationRows"/> of the file).</param>
    public NabDetector(int learnRows, NabDetectorOptions? options = null)
    {
        _o = options ?? new NabDetectorOptions();
        _warmupRows = (int)(_o.WarmupProbations * learnRows);
        _detector = new MetricDetector(new MetricDetectorOptions(_o.SpectralResidual, _o.Cusum));
        _likelihood = new AnomalyLikelihood(_o.LikelihoodWindow, _o.LikelihoodWarmup);
        _resonance = new ResonanceDetector(learnRows, new ResonanceOptions(_o.ResonanceWindow, _o.WindowsPerProbation, _o.Vigilance, _o.MaxCategories));
        var halfLife = Math.Max(1, _o.HalfLifeProbations * learnRows);
        (_point, _change, _novelty) = (new(halfLife, 1.0, _o.ExcessHalfLives), new(halfLife, 1.0, _o.ExcessHalfLives), new(halfLife, 0.02, _o.ExcessHalfLives));
        var longHalfLife = halfLife * _o.LongRecordHalfLives;
        (_longPoint, _longChange, _longNovelty) = (new(longHalfLife, 1.0, _o.ExcessHalfLives), new(longHalfLife, 1.0, _o.ExcessHalfLives), new(longHalfLife, 0.02, _o.ExcessHalfLives));
        _seenDecay = Math.Exp(-Math.Log(2) / Math.Max(1, _o.AgreementPatterns * _resonance.PatternRows));
        _phaseRows = (int)(_o.PhaseShift * _resonance.StepRows);
        _recent = new double[(int)Math.Round(_o.MaskPatterns * _resonance.PatternRows)];
        (_minEnds, _maxEnds) = (new long[Math.Max(1, _o.RangeBreakEpisodes)], new long[Math.Max(1, _o.RangeBreakEpisodes)]);
    }

    public static double[] Run(IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values, NabDetectorOptions? options = null)
    {
        var detector = new NabDetector(NabSweep.ProbationRows(values.Count), options);
        var scores = new double[values.Count];
        for (var i = 0; i < scores.Length; i++) scores[i] = detector.Update(timestamps[i], values[i]);
        return scores;
    }

    /// <summary>Scores one row, then learns it. The score returned is the report confirmed at this row (see
    /// <see cref="NabDetectorOptions.ConfirmRows"/>), computed from this row and the rows before it.</summary>
    public double Update(DateTime timestamp, double value)
    {
        var e = Math.Min(_detector.Update(NabCorpus.ToUnixMs(timestamp), value).Evidence, 50);
        var l = -Math.Log10(Math.Max(1e-12, 1 - _likelihood.Update(Math.Min(e, 10))));
        var n = _o.Resonance && _row >= _phaseRows ? _resonance.Update(value) : 0;
        var (rp, rc, rn) = (_point.Ratio(e), _change.Ratio(l), _novelty.Ratio(n));
        var ratio = Math.Max(rp, Math.Max(rc, rn)) * Agreement(rp, rc, rn) * LongRecord(e, l, n) * RangeBreak(value);
        var raw = _row < 2 * _warmupRows ? 0 : ratio / (1 + ratio);
        if (_row >= _warmupRows)
        {
            _point.Learn(e); _change.Learn(l); _novelty.Learn(n);
            _longPoint.Learn(e); _longChange.Learn(l); _longNovelty.Learn(n);
        }
        return Episode(Confirm(Mask(raw)));
    }

    /// <summary>The confirmed report, or 0 when it comes within <see cref="NabDetectorOptions.EpisodeRows"/> rows of
    /// the previous report and does not beat that report's ratio by <see cref="NabDetectorOptions.EpisodeMargin"/>.</summary>
    private double Episode(double confirmed)
    {
        if (confirmed <= 0) return confirmed;
        var ratio = confirmed / (1 - confirmed);
        if (_row - _lastReportRow <= _o.EpisodeRows && ratio <= _lastReportRatio * (1 + _o.EpisodeMargin)) return 0;
        (_lastReportRow, _lastReportRatio) = (_row, ratio);
        return confirmed;
    }

    /// <summary>Holds a masked report back until <see cref="NabDetectorOptions.ConfirmRows"/> rows have passed without
    /// a report that beats it (with the mask on, every later report does), then emits its score; a report beaten in
    /// time is dropped for the new one.</summary>
    private double Confirm(double masked)
    {
        if (_o.ConfirmRows <= 0) return masked;
        if (masked > 0 && (_pendingAge < 0 || masked > _pending)) (_pending, _pendingAge) = (masked, 0);
        else if (_pendingAge >= 0) _pendingAge++;
        if (_pendingAge != _o.ConfirmRows) return 0;
        _pendingAge = -1;
        return _pending;
    }

    /// <summary>1 when the value lies inside the range of every value before it; beyond it,
    /// <see cref="NabDetectorOptions.RangeBreakFactor"/> raised to how quiet that side of the range had been
    /// (<see cref="NabDetectorOptions.RangeBreakQuietShare"/>). Then the value joins the range.</summary>
    private double RangeBreak(double value)
    {
        var above = value > _max;
        var below = value < _min;
        (_min, _max) = (Math.Min(_min, value), Math.Max(_max, value));
        if (!above && !below) return 1;
        if (_o.RangeBreakQuietShare <= 0) return _o.RangeBreakFactor;
        var ends = above ? _maxEnds : _minEnds;
        ref var quiet = ref above ? ref _maxQuiet : ref _minQuiet;
        if (_row == 0 || _row - ends[0] > _o.EpisodeRows)
        {
            quiet = Math.Min(1, (_row - ends[^1]) / (_o.RangeBreakQuietShare * Math.Max(1, _row)));
            Array.Copy(ends, 0, ends, 1, ends.Length - 1);
        }
        ends[0] = _row;
        return Math.Pow(_o.RangeBreakFactor, quiet);
    }

    /// <summary>1, or r^LongRecordPower when r, the largest of the three surprises' ratios to the bars of the long
    /// memory, is below 1.</summary>
    private double LongRecord(double point, double change, double novelty)
    {
        if (_o.LongRecordPower <= 0) return 1;
        var r = Math.Max(_longPoint.Ratio(point), Math.Max(_longChange.Ratio(change), _longNovelty.Ratio(novelty)));
        return r >= 1 ? 1 : Math.Pow(r, _o.LongRecordPower);
    }

    /// <summary>1, or (second-largest recent ratio)^AgreementPower when that is below 1. Each view's recent ratio is
    /// its peak ratio fading with a half-life of <see cref="NabDetectorOptions.AgreementPatterns"/> patterns.</summary>
    private double Agreement(double point, double change, double novelty)
    {
        if (_o.AgreementPower <= 0) return 1;
        var a = _seen[0] = Math.Max(point, _seen[0] * _seenDecay);
        var b = _seen[1] = Math.Max(change, _seen[1] * _seenDecay);
        var c = _seen[2] = Math.Max(novelty, _seen[2] * _seenDecay);
        var second = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
        return second >= 1 ? 1 : Math.Pow(second, _o.AgreementPower);
    }

    /// <summary>The raw score if it beats every raw score of the mask span before it, else 0.</summary>
    private double Mask(double raw)
    {
        if (_recent.Length == 0) { _row++; return raw; }
        var beaten = true;
        foreach (var r in _recent) beaten &= raw > r;
        _recent[_row++ % _recent.Length] = raw;
        return beaten ? raw : 0;
    }

    public void Write(BinaryWriter w)
    {
        _detector.Write(w); _likelihood.Write(w); _resonance.Write(w);
        _point.Write(w); _change.Write(w); _novelty.Write(w);
        _longPoint.Write(w); _longChange.Write(w); _longNovelty.Write(w);
        w.Write(_row);
        foreach (var r in _recent) w.Write(r);
        foreach (var v in _seen) w.Write(v);
        w.Write(_pending); w.Write(_pendingAge);
        w.Write(_lastReportRow); w.Write(_lastReportRatio);
        w.Write(_min); w.Write(_max);
        foreach (var e in _minEnds) w.Write(e);
        foreach (var e in _maxEnds) w.Write(e);
        w.Write(_minQuiet); w.Write(_maxQuiet);
    }

    public void Read(BinaryReader r)
    {
        _detector.Read(r); _likelihood.Read(r); _resonance.Read(r);
        _point.Read(r); _change.Read(r); _novelty.Read(r);
        _longPoint.Read(r); _longChange.Read(r); _longNovelty.Read(r);
        _row = r.ReadInt64();
        for (var i = 0; i < _recent.Length; i++) _recent[i] = r.ReadDouble();
        for (var i = 0; i < _seen.Length; i++) _seen[i] = r.ReadDouble();
        (_pending, _pendingAge) = (r.ReadDouble(), r.ReadInt32());
        (_lastReportRow, _lastReportRatio) = (r.ReadInt64(), r.ReadDouble());
        (_min, _max) = (r.ReadDouble(), r.ReadDouble());
        for (var i = 0; i < _minEnds.Length; i++) _minEnds[i] = r.ReadInt64();
        for (var i = 0; i < _maxEnds.Length; i++) _maxEnds[i] = r.ReadInt64();
        (_minQuiet, _maxQuiet) = (r.ReadDouble(), r.ReadDouble());
    }
}
