using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Smart.Detection;

namespace Smart.Benchmarks;

/// <summary>
/// <c>./smart bench flood-limit [--rise 5.75] [--white 0.35] [--ripple 0.357] [--tau 3] [--interval 2] [--z 5.5]</c>: the
/// information limit of the flood warning, computed, not measured. For a water level that starts rising at
/// <c>--rise</c> cm/min from a still level, sampled every <c>--interval</c> s by a gauge with white noise
/// <c>--white</c> cm plus a surface ripple <c>--ripple</c> cm correlated over <c>--tau</c> s, it prints the expected z of the
/// host's bend test (the slope's change at the true onset over the bend window, less the allowance for what rain can bend
/// it: <see cref="ManholeRuleOptions.FloodBendCmPerMin2"/>) against the seconds since onset, by least squares (what
/// ships) and by generalised least squares (the noise's own weights: the best any linear estimator can do), and when it
/// crosses the warning level <c>--z</c>. Defaults are the host's gauge model and the slowest scenario rise. A flood is warned
/// when the realised z (the expected one ± about 1) crosses the level, so about half the floods of a rise whose expected z
/// crosses at 30 s are warned later than 30 s, whatever the detector (RESULTS.md, "the flood warning's information limit").
/// </summary>
public sealed class FloodLimitBenchmark : IBenchmark
{
    public string Name => "flood-limit";

    public Task<BenchResult> RunAsync(string[] args)
    {
        var host = new ManholeRuleOptions();
        var g = new Gauge(
            BenchArgs.Number(args, "--white", host.GaugeWhiteCm), BenchArgs.Number(args, "--ripple", host.GaugeSurfaceCm),
            BenchArgs.Number(args, "--tau", host.GaugeSurfaceTauS), BenchArgs.Number(args, "--interval", 2));
        var rise = BenchArgs.Number(args, "--rise", 5.75);
        var level = BenchArgs.Number(args, "--z", host.FloodBendZ);
        var n = (int)(host.FloodBendWindowMs / 1000 / g.IntervalS);
        Console.WriteLine($"rise {rise} cm/min, gauge white {g.WhiteCm} cm + ripple {g.RippleCm} cm (τ {g.TauS} s), a sample every {g.IntervalS} s, " +
                          $"bend window {n} samples, rain allowance {host.FloodBendCmPerMin2} cm/min², warning at z ≥ {level}");
        Console.WriteLine("s after onset   z (least squares)   z (generalised least squares)");
        double? crossing = null, crossingGls = null;
        var zAt30 = double.NaN;
        for (var k = 3; k < n - 3; k++)
        {
            var seconds = k * g.IntervalS;
            var z = ExpectedZ(g, n, k, rise, host.FloodBendCmPerMin2, gls: false);
            var zGls = ExpectedZ(g, n, k, rise, host.FloodBendCmPerMin2, gls: true);
            if (seconds <= 30) zAt30 = z;
            if (z >= level) crossing ??= seconds;
            if (zGls >= level) crossingGls ??= seconds;
            if (seconds >= 10 && seconds <= 45)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds,13:0.#}   {z,17:0.00}   {zGls,29:0.00}"));
        }
        return Task.FromResult(new BenchResult(Name)
            .Add("expected_crossing_s", crossing ?? double.NaN)
            .Add("expected_crossing_gls_s", crossingGls ?? double.NaN)
            .Add("z_at_30_s", zAt30));
    }

    private sealed record Gauge(double WhiteCm, double RippleCm, double TauS, double IntervalS);

    /// <summary>The bend test's expected z with the onset <paramref name="k"/> samples back in a window of
    /// <paramref name="n"/>: the fit level + slope + a hinge at the onset, z = (rise − allowance) / σ(hinge slope).</summary>
    private static double ExpectedZ(Gauge g, int n, int k, double rise, double bendPerMin2, bool gls)
    {
        var t = Vector<double>.Build.Dense(n, i => -(n - 1 - i) * g.IntervalS / 60); // minutes, the newest at 0
        var onset = t[n - 1 - k];
        var x = Matrix<double>.Build.Dense(n, 3, (i, j) => j switch { 0 => 1, 1 => t[i], _ => Math.Max(0, t[i] - onset) });
        var noise = Matrix<double>.Build.Dense(n, n, (i, j) =>
            (i == j ? g.WhiteCm * g.WhiteCm : 0) + g.RippleCm * g.RippleCm * Math.Exp(-Math.Abs(i - j) * g.IntervalS / g.TauS));
        var weights = gls ? noise.Inverse() : Matrix<double>.Build.DenseIdentity(n);
        var estimator = (x.TransposeThisAndMultiply(weights) * x).Solve(x.TransposeThisAndMultiply(weights)); // 3 × n
        var hinge = estimator.Row(2);
        var sd = Math.Sqrt(hinge * noise * hinge);
        var allowance = bendPerMin2 * (hinge * t.PointwisePower(2)) / 2;
        return (rise - allowance) / sd;
    }
}
