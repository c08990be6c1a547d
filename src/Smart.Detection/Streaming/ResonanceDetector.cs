namespace Smart.Detection.Streaming;

/// <summary>Knobs of <see cref="ResonanceDetector"/>; the defaults are the shipped ones (coarse grid on the NAB dev
/// split, sensitivity in RESULTS.md "detect").</summary>
/// <param name="Window">Downsampled points per pattern (the shape the detector compares).</param>
/// <param name="WindowsPerProbation">How many patterns fit in the learning period; sets the downsampling step.</param>
/// <param name="Vigilance">Match (1 − normalised L1 distance to a category's box) needed to resonate with a category.</param>
/// <param name="MaxCategories">Bound on the learned categories; when full, the least recently used one is replaced.
/// 128: averaged over the blocks' phase, 64 lost 2 points and 96/160 stay within 1.7 (RESULTS.md, branch nab3).</param>
internal sealed record ResonanceOptions(int Window = 8, int WindowsPerProbation = 13, double Vigilance = 0.95, int MaxCategories = 128)
{
    public static ResonanceOptions Default { get; } = new();
}

/// <summary>Streaming novelty detector after adaptive resonance theory (fuzzy ART with complement coding:
/// Carpenter, Grossberg, Rosen, "Fuzzy ART", Neural Networks 4(6), 1991), in the way ARTime (M. Hampton, NAB
/// scoreboard) applies it to NAB: the series is downsampled into block means, cut into patterns of
/// <see cref="ResonanceOptions.Window"/> points, and each pattern either resonates with a learned category (whose box
/// then grows to include it) or founds a new one. The output is the pattern's novelty, 1 − its best match with any
/// category before learning it: a pattern never seen before scores high once; by the time it repeats, it is known.
/// <para>A pattern is a point in [0,1]^(2·Window): its levels, normalised by the running min/max seen so far (no
/// look-ahead; boxes are kept in the metric's unit, so a widening range rescales them exactly), and its shape (Haar
/// wavelet of the window min-max normalised). Categories are boxes [lo, hi]; with complement coding the fuzzy-AND
/// norms reduce to L1 box sizes: match = 1 − |box ∪ x|/d, choice = (d − |box ∪ x|)/(α + d − |box|).</para>
/// <para>The downsampling step is sized so that the learning period (NAB's probationary period: 15 % of the file,
/// at most 750 rows) holds <see cref="ResonanceOptions.WindowsPerProbation"/> patterns, so the detector looks at the
/// same share of any series whatever its sampling rate. State: 2·d doubles per category plus a few scalars
/// (about 33 KiB with the defaults) — NAB/CLI only; the host's per-metric budget is 4 KiB.</para></summary>
internal sealed partial class ResonanceDetector
{
    private const double ChoiceAlpha = 1e-3;

    private readonly ResonanceOptions _o;
    private readonly int _dims;
    private readonly double[] _levels, _lo, _hi, _pattern;
    private readonly long[] _lastUsed;

    private long _steps;
    private int _blockCount, _categories;
    private double _blockSum, _min = double.PositiveInfinity, _max = double.NegativeInfinity;

    /// <param name="learnRows">Length of the learning period in rows (sets the downsampling step).</param>
    public ResonanceDetector(int learnRows, ResonanceOptions? options = null)
    {
        _o = options ?? ResonanceOptions.Default;
        StepRows = Math.Max(1, learnRows / (_o.Window * _o.WindowsPerProbation));
        _dims = 2 * _o.Window;
        _levels = new double[_o.Window];
        _pattern = new double[_dims];
        _lo = new double[_o.MaxCategories * _dims];
        _hi = new double[_o.MaxCategories * _dims];
        _lastUsed = new long[_o.MaxCategories];
    }

    /// <summary>Rows per downsampled point.</summary>
    public int StepRows { get; }

    /// <summary>Rows one pattern spans.</summary>
    public int PatternRows => StepRows * _o.Window;

    public int Categories => _categories;

    /// <summary>Learns one reading; returns the novelty in [0,1] of the pattern it completes, or 0 on rows that
    /// complete none (inside a downsampling block, or before the first pattern or category exists).</summary>
    public double Update(double x)
    {
        _min = Math.Min(_min, x);
        _max = Math.Max(_max, x);
        _blockSum += x;
        if (++_blockCount < StepRows) return 0;
        _blockCount = 0;
        var mean = _blockSum / StepRows;
        _blockSum = 0;
        return Step(mean);
    }

    private double Step(double level)
    {
        Array.Copy(_levels, 1, _levels, 0, _levels.Length - 1);
        _levels[^1] = level;
        if (++_steps < _o.Window) return 0;
        BuildShape();
        var (category, match) = Resonate();
        var novelty = _categories == 0 ? 0 : 1 - match;
        if (category >= 0) Learn(category);
        else Found();
        return novelty;
    }
}
