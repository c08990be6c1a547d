namespace Smart.Detection.Nab;

/// <summary>The bar a surprise must beat to be a record: the largest value seen, fading. A record splits the bar in two
/// parts — the bar it broke, which keeps fading with the memory's half-life, and the record's excess over that bar,
/// which fades <c>excessHalfLives</c> times more slowly. So how far a series' surprises have jumped above their usual
/// level is remembered longer than the level itself; at 1 both parts fade alike and the bar is a plain fading peak.
/// Ratios are taken against at least <c>floor</c>.</summary>
internal sealed class FadingRecord(double halfLife, double floor, double excessHalfLives = 1)
{
    private readonly double _decay = Math.Exp(-Math.Log(2) / halfLife);
    private readonly double _excessDecay = Math.Exp(-Math.Log(2) / (halfLife * excessHalfLives));
    private double _base, _excess;

    /// <summary>The bar before the next value is learned (without the floor).</summary>
    public double Bar => _base + _excess;

    public double Ratio(double x) => x / Math.Max(Bar, floor);

    public void Learn(double x)
    {
        _base *= _decay;
        _excess *= _excessDecay;
        if (x > Bar) (_base, _excess) = (Bar, x - Bar);
    }

    public void Write(BinaryWriter w) { w.Write(_base); w.Write(_excess); }
    public void Read(BinaryReader r) { _base = r.ReadDouble(); _excess = r.ReadDouble(); }
}
