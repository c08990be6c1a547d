using Smart.Detection.Nab;
using Smart.Detection.Streaming;
using Xunit.Abstractions;

namespace Smart.Detection.Tests.Streaming;

public class MetricDetectorTests(ITestOutputHelper output)
{
    private const long StepMs = 300_000; // 5 minutes
    private const int Seed = 20261122;

    private double[] Noise(int n, double sigma = 1.0)
    {
        output.WriteLine($"seed {Seed}");
        var rng = new Random(Seed);
        return Enumerable.Range(0, n).Select(_ => sigma * Gaussian(rng)).ToArray();
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static DetectorOutput[] Run(double[] values, MetricDetector? d = null)
    {
        d ??= new MetricDetector();
        return values.Select((v, i) => d.Update(Readings.T0 + i * StepMs, v)).ToArray();
    }

    [Fact]
    public void A_spike_in_noise_scores_near_1_and_noise_does_not()
    {
        var x = Noise(2000);
        x[1500] += 8;
        var r = Run(x);
        Assert.True(r[1500].Score >= 0.999, $"spike scored {r[1500].Score}");
        var noiseMax = r.Skip(200).Where((_, i) => i + 200 != 1500).Max(o => o.Evidence);
        Assert.True(noiseMax < r[1500].Evidence / 1.5, $"noise evidence {noiseMax} vs spike {r[1500].Evidence}");
    }

    [Fact]
    public void A_level_shift_is_found_within_ten_readings()
    {
        var x = Noise(1500);
        for (var i = 1000; i < x.Length; i++) x[i] += 2.5;
        var r = Run(x);
        var found = Enumerable.Range(1000, 10).FirstOrDefault(i => r[i].Evidence >= 3, -1);
        Assert.True(found >= 0, "shift not found within 10 readings");
    }

    [Fact]
    public void A_missing_daily_peak_is_found_by_the_daily_profile()
    {
        // 10 days of a daily cycle at 5-minute steps; on day 8 the afternoon peak does not come.
        var noise = Noise(2880, 0.5);
        var x = noise.Select((n, i) => 10 * Math.Sin(2 * Math.PI * (i % 288) / 288.0) + n).ToArray();
        var start = 8 * 288 + 40;
        for (var i = start; i < start + 60; i++) x[i] = noise[i];
        var r = Run(x);
        var inside = r.Skip(start).Take(60).Max(o => o.Evidence);
        var before = r.Skip(3 * 288).Take(start - 3 * 288).Max(o => o.Evidence);
        Assert.True(inside > 2 * before, $"inside {inside}, normal days {before}");
        Assert.Contains(r.Skip(start).Take(60), o => o.Detector == "daily");
    }

    [Fact]
    public void Spectral_residual_saliency_peaks_on_a_spike_in_a_periodic_series()
    {
        var sr = new SpectralResidual();
        var x = Enumerable.Range(0, 400).Select(i => Math.Sin(i / 5.0)).ToArray();
        x[300] += 3;
        var s = x.Select(sr.Update).ToArray();
        // Saliency is read at the newest point; the spike stands out there or one reading later (it spreads).
        var spike = Math.Max(s[300], s[301]);
        var normalMax = s.Skip(60).Take(200).Max();
        Assert.True(spike > 2 * normalMax, $"normal max {normalMax} vs spike {spike}");
    }

    [Fact]
    public void A_stuck_sensor_is_reported_after_the_run_length_and_duration()
    {
        var x = Noise(400).Select(v => 22 + v).ToArray();
        for (var i = 300; i < x.Length; i++) x[i] = 22.5;
        var d = new MetricDetector();
        var r = x.Select((v, i) => d.Update(Readings.T0 + i * 10_000L, v, stuckReadings: 60, stuckMinMs: 5 * 60_000)).ToArray();
        Assert.DoesNotContain(r.Take(359), o => o.Stuck);
        Assert.True(r[359].Stuck);
        Assert.Equal("stuck", r[359].Detector);
    }

    [Fact]
    public void A_metric_that_never_varied_is_not_stuck()
    {
        var d = new MetricDetector();
        var r = Enumerable.Range(0, 500).Select(i => d.Update(Readings.T0 + i * 10_000L, 0.0)).ToArray();
        Assert.DoesNotContain(r, o => o.Stuck);
    }

    [Fact]
    public void Scores_do_not_look_ahead()
    {
        var a = Noise(1200).Select((v, i) => v + Math.Sin(i / 40.0)).ToArray();
        var b = a.ToArray();
        for (var i = 800; i < b.Length; i++) b[i] += 50 * Math.Cos(i);
        var ra = Run(a);
        var rb = Run(b);
        Assert.Equal(ra.Take(800), rb.Take(800));
        var ts = a.Select((_, i) => DateTime.UnixEpoch.AddMinutes(5 * i)).ToList();
        Assert.Equal(NabDetector.Run(ts, a).Take(800), NabDetector.Run(ts, b).Take(800));
    }

    [Fact]
    public void Saved_state_is_bounded_and_restores_identical_scores()
    {
        var x = Noise(5000).Select((v, i) => v + 5 * Math.Sin(2 * Math.PI * i / 288)).ToArray();
        var a = new MetricDetector();
        Run(x[..3000], a);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) a.Write(w);
        Assert.True(ms.Length <= 4096, $"state is {ms.Length} bytes");
        ms.Position = 0;
        var b = new MetricDetector();
        using (var r = new BinaryReader(ms)) b.Read(r);
        var tail = x[3000..];
        var ra = tail.Select((v, i) => a.Update(Readings.T0 + (3000 + i) * StepMs, v)).ToArray();
        var rb = tail.Select((v, i) => b.Update(Readings.T0 + (3000 + i) * StepMs, v)).ToArray();
        Assert.Equal(ra, rb);
    }
}
