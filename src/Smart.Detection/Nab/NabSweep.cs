namespace Smart.Detection.Nab;

/// <summary>NAB's per-row weighting of one series (written from the NAB whitepaper and wiki rules):
/// <list type="bullet">
/// <item>the first 15 % of rows (at most 750) are probationary and not scored;</item>
/// <item>a row inside a window of width w, at index i with the window ending at e, sits at relative position
/// −(e − i + 1)/w ∈ [−1, 0); its true-positive value is σ(pos)·A_TP/σ(−1) with the scaled sigmoid
/// σ(y) = 2/(1 + e^{5y}) − 1, so the earliest detection earns the full A_TP;</item>
/// <item>a row outside any window is a false positive worth −A_FP if no window precedes it, else σ(d)·A_FP with d
/// its distance past the last window's end divided by (w − 1) of that window (σ = −1 beyond d = 3): a detection
/// just after a window costs little;</item>
/// <item>only the first detection in a window counts; a window without one costs −A_FN.</item>
/// </list></summary>
public sealed class NabSweep
{
    public const double ProbationFraction = 0.15;
    public const int ProbationMaxRows = 750;
    /// <summary>Row is not scored.</summary>
    public const int Probation = -2;
    /// <summary>Row lies outside every window.</summary>
    public const int Outside = -1;

    public NabSweep(NabSeries series, IReadOnlyList<double> anomalyScores)
    {
        if (anomalyScores.Count != series.Timestamps.Count)
            throw new ArgumentException($"{series.RelativePath}: {anomalyScores.Count} scores for {series.Timestamps.Count} rows; the results file must have the data file's rows in order.");
        Series = series;
        Scores = anomalyScores;
        Weights = new double[anomalyScores.Count];
        Windows = new int[anomalyScores.Count];
        Assign();
    }

    public NabSeries Series { get; }
    public IReadOnlyList<double> Scores { get; }
    /// <summary>Unweighted value of a detection at each row: in a window σ(pos)/σ(−1) (× A_TP), outside σ(d) or −1 (× A_FP).</summary>
    public double[] Weights { get; }
    /// <summary>Window index of each row, or <see cref="Outside"/>, or <see cref="Probation"/>.</summary>
    public int[] Windows { get; }
    /// <summary>Windows that contain at least one scored row.</summary>
    public int ScoredWindowCount { get; private set; }

    public static int ProbationRows(int rows) => (int)Math.Min(Math.Floor(ProbationFraction * rows), ProbationFraction * 5000);

    public static double ScaledSigmoid(double position) =>
        position > 3.0 ? -1.0 : 2.0 / (1.0 + Math.Exp(5.0 * position)) - 1.0;

    private void Assign()
    {
        var ts = Series.Timestamps;
        var probation = ProbationRows(ts.Count);
        var maxTp = ScaledSigmoid(-1.0);
        int next = 0, current = -1, right = -1, prevRight = -1;
        double width = 0, prevWidth = 0;
        var scored = new HashSet<int>();
        for (var i = 0; i < ts.Count; i++)
        {
            if (current < 0 && next < Series.Windows.Count && ts[i] == Series.Windows[next].Start)
            {
                current = next++;
                right = IndexOf(ts, Series.Windows[current].End);
                width = right - i + 1;
            }
            if (current >= 0) Weights[i] = ScaledSigmoid(-(right - i + 1) / width) / maxTp;
            else Weights[i] = prevRight < 0 ? -1.0 : ScaledSigmoid(Math.Abs(prevRight - i) / (prevWidth - 1));
            Windows[i] = i < probation ? Probation : current >= 0 ? current : Outside;
            if (Windows[i] >= 0) scored.Add(current);
            if (i == right) { prevRight = right; prevWidth = width; current = -1; right = -1; }
        }
        ScoredWindowCount = scored.Count;
    }

    private static int IndexOf(IReadOnlyList<DateTime> ts, DateTime t)
    {
        for (var i = 0; i < ts.Count; i++) if (ts[i] == t) return i;
        throw new InvalidDataException($"Window end {t:yyyy-MM-dd HH:mm:ss} is not a row timestamp.");
    }
}
