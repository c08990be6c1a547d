using System.Runtime.Intrinsics;

namespace Smart.Detection.Rules;

/// <summary>An estimate Σ w_i·y_i of <see cref="RuleState.SteepestOnset"/> whose exact variance is wanted, over the newest
/// <see cref="Count"/> samples of a window (times newest first): w_i = G0 + G1·t_i + G2·(t_i − S) for the newest
/// <see cref="After"/> (after the onset S), G0 + G1·t_i for the rest.</summary>
internal struct OnsetEstimate
{
    public double G0, G1, G2, S;
    public int Count, After;
    /// <summary>Set by <see cref="OnsetVariance.Compute"/>.</summary>
    public double Variance;
    /// <summary>The caller's: the estimate's excess over its allowance (per minute), its onset (a row of the caller's),
    /// whether it is the bend test's.</summary>
    public double Excess;
    public int Onset;
    public bool Bend;
}

/// <summary>The exact variance of the onset test's estimates under a sensor's white plus AR(1) noise.</summary>
internal static class OnsetVariance
{
    /// <summary>
    /// Sets each estimate's <see cref="OnsetEstimate.Variance"/>: σ_w²·Σw_i² + σ_c²·(Σw_i² + 2·Σ_i w_i·Σ_(j&gt;i) w_j·ρ_ij),
    /// the AR(1) covariance summed by the recursion run_i = (run_(i+1) + w_(i+1))·decay[i] from the oldest sample,
    /// O(samples). The recursion's latency, not its arithmetic, is what an estimate costs, so four estimates run at once,
    /// one per lane of a 256-bit vector: each lane does the scalar recursion's operations in its order (IEEE per lane,
    /// no fused multiply-add), so each variance is the one computed alone, to the bit. A lane past its estimate's
    /// samples has weight +0, which leaves its sums at 0 until its oldest sample.
    /// </summary>
    /// <param name="t">The window's times (seconds, newest first).</param>
    /// <param name="decay">decay[i] = e^(−(t[i] − t[i+1])/τ) (<see cref="RuleState.Decay"/>).</param>
    public static void Compute(ReadOnlySpan<double> t, ReadOnlySpan<double> decay, Span<OnsetEstimate> estimates, SensorNoise noise)
    {
        for (var first = 0; first < estimates.Length; first += 4)
            Four(t, decay, estimates.Slice(first, Math.Min(4, estimates.Length - first)), noise);
    }

    private static void Four(ReadOnlySpan<double> t, ReadOnlySpan<double> decay, Span<OnsetEstimate> four, SensorNoise noise)
    {
        Span<double> g0 = stackalloc double[4], g1 = stackalloc double[4], g2 = stackalloc double[4], s = stackalloc double[4],
            count = stackalloc double[4], after = stackalloc double[4];
        var top = 0;
        for (var j = 0; j < four.Length; j++)
        {
            (g0[j], g1[j], g2[j], s[j], count[j], after[j]) = (four[j].G0, four[j].G1, four[j].G2, four[j].S, four[j].Count, four[j].After);
            top = Math.Max(top, four[j].Count);
        }
        Lanes lanes = new(Vector256.Create<double>(g0), Vector256.Create<double>(g1), Vector256.Create<double>(g2),
            Vector256.Create<double>(s), Vector256.Create<double>(count), Vector256.Create<double>(after));
        Vector256<double> run = Vector256<double>.Zero, previous = Vector256<double>.Zero, cross = Vector256<double>.Zero,
            squares = Vector256<double>.Zero;
        for (var i = top - 1; i >= 0; i--)
        {
            var w = lanes.Weight(i, t[i]);
            if (i < top - 1) run = (run + previous) * Vector256.Create(decay[i]);
            cross += w * run;
            squares += w * w;
            previous = w;
        }
        for (var j = 0; j < four.Length; j++)
        {
            double sq = squares.GetElement(j), cr = cross.GetElement(j);
            four[j].Variance = noise.WhiteSd * noise.WhiteSd * sq + noise.CorrelatedSd * noise.CorrelatedSd * (sq + 2 * cr);
        }
    }

    /// <summary>Four estimates' weights, one per lane.</summary>
    private readonly struct Lanes(Vector256<double> g0, Vector256<double> g1, Vector256<double> g2, Vector256<double> s,
        Vector256<double> count, Vector256<double> after)
    {
        /// <summary>w_i of each lane: G0 + G1·t_i + G2·(t_i − S) after the onset, G0 + G1·t_i + 0·(t_i − S) (the same
        /// value) before it, +0 past the estimate's samples.</summary>
        public Vector256<double> Weight(int i, double ti)
        {
            var index = Vector256.Create((double)i);
            var within = Vector256.LessThan(index, count);
            var tv = Vector256.Create(ti);
            return (g0 & within) + (g1 & within) * tv + (g2 & Vector256.LessThan(index, after) & within) * (tv - s);
        }
    }
}
