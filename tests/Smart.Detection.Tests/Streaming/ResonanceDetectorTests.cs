using Smart.Detection.Streaming;

namespace Smart.Detection.Tests.Streaming;

public class ResonanceDetectorTests
{
    private const int LearnRows = 750; // NAB's longest probationary period → 7 rows per downsampled point
    private const int Seed = 20261122;

    /// <summary>A daily-like cycle (period 280 rows = 5 patterns) with a little noise.</summary>
    private static double[] Cycle(int n, double noise = 0.05)
    {
        var rng = new Random(Seed);
        return Enumerable.Range(0, n).Select(i => 10 + 3 * Math.Sin(2 * Math.PI * i / 280) + noise * (rng.NextDouble() - 0.5)).ToArray();
    }

    private static double[] Run(ResonanceDetector d, IEnumerable<double> x) => x.Select(d.Update).ToArray();

    [Fact]
    public void A_novel_shape_after_learning_is_far_more_novel_than_the_known_cycle()
    {
        var x = Cycle(4000);
        for (var i = 3000; i < 3060; i++) x[i] = 10 + 3 * Math.Sin(2 * Math.PI * i / 30); // a burst of fast oscillation
        var n = Run(new ResonanceDetector(LearnRows), x);
        var normal = n[1500..3000].Max();
        var anomaly = n[3000..3100].Max();
        Assert.True(anomaly > 3 * normal, $"novelty at the burst {anomaly:0.000}, before it {normal:0.000}");
        Assert.True(anomaly > 0.1, $"novelty at the burst {anomaly:0.000}");
    }

    [Fact]
    public void A_repeating_pattern_becomes_known()
    {
        var d = new ResonanceDetector(LearnRows);
        var x = Cycle(6000);
        Run(d, x[..3000]);
        var learned = d.Categories;
        var n = Run(d, x[3000..]);
        // Of the 428 later patterns, almost all resonate with a learned category (noise founds a few new ones).
        Assert.True(d.Categories - learned <= 5, $"{d.Categories - learned} categories founded after learning");
        Assert.True(n.Count(v => v > 1 - ResonanceOptions.Default.Vigilance) <= 5);
        Assert.True(n.Max() < 0.1, $"largest novelty of the known cycle {n.Max():0.000}");
    }

    [Fact]
    public void Patterns_are_block_means_so_the_order_of_rows_inside_a_block_does_not_matter()
    {
        var a = Cycle(4000);
        a[3004] += 5;
        var b = a.ToArray();
        (b[3004], b[3008]) = (b[3008], b[3004]); // same block of 7 rows (3003–3009), same values seen
        Assert.Equal(7, new ResonanceDetector(LearnRows).StepRows);
        var na = Run(new ResonanceDetector(LearnRows), a);
        Assert.Equal(na, Run(new ResonanceDetector(LearnRows), b));
        Assert.True(na[3009] > 0, "the block holding the jump completes a novel pattern");
    }

    [Fact]
    public void Novelty_does_not_look_ahead()
    {
        var a = Cycle(3000);
        var b = a.ToArray();
        for (var i = 2000; i < b.Length; i++) b[i] += 100 * Math.Cos(i);
        Assert.Equal(Run(new ResonanceDetector(LearnRows), a)[..2000], Run(new ResonanceDetector(LearnRows), b)[..2000]);
    }

    [Fact]
    public void Saved_state_is_bounded_and_restores_identical_novelty()
    {
        var rng = new Random(Seed);
        var x = Enumerable.Range(0, 20_000).Select(i => rng.NextDouble() * (1 + i / 1000.0)).ToArray(); // keeps founding categories
        var a = new ResonanceDetector(LearnRows);
        Run(a, x[..15_003]);
        Assert.Equal(ResonanceOptions.Default.MaxCategories, a.Categories);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) a.Write(w);
        Assert.True(ms.Length <= 34 * 1024, $"state {ms.Length} bytes");
        ms.Position = 0;
        var b = new ResonanceDetector(LearnRows);
        using (var r = new BinaryReader(ms)) b.Read(r);
        Assert.Equal(Run(a, x[15_003..]), Run(b, x[15_003..]));
    }
}
