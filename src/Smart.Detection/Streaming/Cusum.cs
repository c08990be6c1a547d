namespace Smart.Detection.Streaming;

/// <summary>Two-sided tabular CUSUM (Page 1954; Montgomery, SQC §9.1) on standardised residuals with reference
/// value k = 0.5 σ and decision interval h = 5 σ (ARL₀ ≈ 465 readings, shift of 1 σ found in ≈ 10).
/// Returns S/h: ≥ 1 means a sustained level change. Resets after crossing h.</summary>
internal struct Cusum
{
    public const double K = 0.5;
    public const double H = 5.0;
    public double High;
    public double Low;

    public double Update(double z)
    {
        z = Math.Clamp(z, -4, 4);
        High = Math.Max(0, High + z - K);
        Low = Math.Max(0, Low - z - K);
        var s = Math.Max(High, Low) / H;
        if (s >= 1) { High = 0; Low = 0; }
        return s;
    }

    public readonly void Write(BinaryWriter w) { w.Write(High); w.Write(Low); }
    public void Read(BinaryReader r) { High = r.ReadDouble(); Low = r.ReadDouble(); }
}
