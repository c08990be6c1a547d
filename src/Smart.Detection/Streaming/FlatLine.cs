namespace Smart.Detection.Streaming;

/// <summary>Stuck-at detection: the same value repeated, on a metric whose baseline used to vary.</summary>
internal struct FlatLine
{
    public double RunValue;
    public int RunLength;
    public long RunStartMs;
    /// <summary>The metric's σ when the run started: a metric that never varied (smoke at 0) is not "stuck".</summary>
    public double SigmaBefore;

    /// <summary>Returns the run length; <paramref name="stuck"/> when long enough and the metric used to vary by
    /// more than twice its resolution (a quantised or mostly-constant metric repeats values legitimately).</summary>
    public int Update(long tsMs, double x, double sigma, double resolution, int minReadings, long minMs, out bool stuck)
    {
        var tol = 1e-9 * Math.Max(1.0, Math.Abs(x));
        if (RunLength > 0 && Math.Abs(x - RunValue) <= tol) RunLength++;
        else { RunValue = x; RunLength = 1; RunStartMs = tsMs; SigmaBefore = sigma; }
        stuck = RunLength >= minReadings && tsMs - RunStartMs >= minMs && SigmaBefore > Math.Max(1e3 * tol, 2 * resolution);
        return RunLength;
    }

    public readonly void Write(BinaryWriter w) { w.Write(RunValue); w.Write(RunLength); w.Write(RunStartMs); w.Write(SigmaBefore); }
    public void Read(BinaryReader r) { RunValue = r.ReadDouble(); RunLength = r.ReadInt32(); RunStartMs = r.ReadInt64(); SigmaBefore = r.ReadDouble(); }
}
