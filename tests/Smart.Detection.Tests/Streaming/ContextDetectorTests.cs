using Smart.Detection.Nab;
using Smart.Detection.Streaming;

namespace Smart.Detection.Tests.Streaming;

public class ContextDetectorTests
{
    private const int Seed = 20261122;

    /// <summary>A saw-tooth of period 8 over the levels 0..7 (one quantisation level per step), a little noise.</summary>
    private static double[] Saw(int n)
    {
        var rng = new Random(Seed);
        return Enumerable.Range(0, n).Select(i => i % 8 + 0.5 + 0.2 * (rng.NextDouble() - 0.5)).ToArray();
    }

    private static double[] Run(ContextDetector d, IEnumerable<double> x) => x.Select(d.Update).ToArray();

    [Fact]
    public void A_known_value_out_of_sequence_scores_far_above_the_learned_sequence()
    {
        var x = Saw(3000);
        x[2500] = x[2504]; // a level seen every period, but not after this one
        var s = Run(new ContextDetector(), x);
        // Generalised contexts that predict part of the facts keep a learned sequence at ~0.2–0.3 (as in CAD-OSE).
        var normal = s[1000..2500].Order().ToArray();
        Assert.True(normal[^15] < 0.5, $"learned sequence: 99th percentile {normal[^15]:0.000}");
        Assert.True(s[2500] > 2.5 * normal.Average() && s[2500] > normal[^15] + 0.3,
            $"out-of-sequence value scores {s[2500]:0.000}, learned sequence mean {normal.Average():0.000}");
    }

    [Fact]
    public void Scores_do_not_look_ahead()
    {
        var a = Saw(2000);
        var b = a.ToArray();
        for (var i = 1500; i < b.Length; i++) b[i] = 100 * Math.Cos(i); // also widens the range
        Assert.Equal(Run(new ContextDetector(), a)[..1500], Run(new ContextDetector(), b)[..1500]);
    }

    [Fact]
    public void Saved_state_restores_identical_scores()
    {
        var rng = new Random(Seed);
        var x = Enumerable.Range(0, 3000).Select(i => Math.Sin(i / 10.0) + 0.3 * rng.NextDouble()).ToArray();
        var o = new ContextOptions(MaxContexts: 300); // forgetting happens both before and after the save
        var a = new ContextDetector(o);
        Run(a, x[..1200]);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) a.Write(w);
        ms.Position = 0;
        var b = new ContextDetector(o);
        using (var r = new BinaryReader(ms)) b.Read(r);
        Assert.Equal(Run(a, x[1200..]), Run(b, x[1200..]));
    }

    [Fact]
    public void The_dictionary_stays_bounded_on_noise()
    {
        var rng = new Random(Seed);
        var d = new ContextDetector(new ContextOptions(MaxContexts: 512));
        var peak = 0;
        for (var i = 0; i < 20_000; i++)
        {
            d.Update(rng.NextDouble());
            peak = Math.Max(peak, d.Contexts);
        }
        Assert.True(peak <= 512, $"{peak} contexts");
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms)) d.Write(w);
        Assert.True(ms.ToArray().Length < 512 * 200, $"state {ms.ToArray().Length} bytes");
    }

    [Fact]
    public void Nab_detector_with_the_contextual_surprise_restores_identically_and_does_not_look_ahead()
    {
        var rng = new Random(Seed);
        var x = Enumerable.Range(0, 4000).Select(i => 50 + 10 * Math.Sin(2 * Math.PI * i / 288) + rng.NextDouble()).ToArray();
        var ts = x.Select((_, i) => DateTime.UnixEpoch.AddMinutes(5 * i)).ToList();
        var o = new NabDetectorOptions(Context: true);
        var y = x.ToArray();
        for (var i = 3000; i < y.Length; i++) y[i] += 40;
        Assert.Equal(NabDetector.Run(ts, x, o)[..3000], NabDetector.Run(ts, y, o)[..3000]);

        var learn = NabSweep.ProbationRows(x.Length);
        var a = new NabDetector(learn, o);
        for (var i = 0; i < 2500; i++) a.Update(ts[i], x[i]);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) a.Write(w);
        ms.Position = 0;
        var b = new NabDetector(learn, o);
        using (var r = new BinaryReader(ms)) b.Read(r);
        for (var i = 2500; i < x.Length; i++) Assert.Equal(a.Update(ts[i], x[i]), b.Update(ts[i], x[i]));
    }
}
