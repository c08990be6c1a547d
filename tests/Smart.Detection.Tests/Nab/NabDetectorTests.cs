using Smart.Detection.Nab;

namespace Smart.Detection.Tests.Nab;

public class NabDetectorTests
{
    private const int Seed = 20261122;

    private static (List<DateTime> Ts, double[] X) Series(int n)
    {
        var rng = new Random(Seed);
        var x = Enumerable.Range(0, n).Select(i => 50 + 10 * Math.Sin(2 * Math.PI * i / 288) + rng.NextDouble()).ToArray();
        return (x.Select((_, i) => DateTime.UnixEpoch.AddMinutes(5 * i)).ToList(), x);
    }

    [Fact]
    public void A_spike_after_probation_is_the_top_score_and_is_reported_once()
    {
        var (ts, x) = Series(4000);
        x[3000] += 40;
        var s = NabDetector.Run(ts, x);
        var top = Array.IndexOf(s, s[NabSweep.ProbationRows(4000)..].Max());
        var late = new NabDetectorOptions().ConfirmRows;
        Assert.Equal(3000 + late, top); // confirmed: reported once the next row did not beat it
        Assert.True(s[top] > 0.5, $"score {s[top]:0.000}");
        Assert.All(s[(top - 50)..top], v => Assert.Equal(0, v));
        Assert.All(s[(top + 1)..(top + 50)], v => Assert.Equal(0, v)); // masked: NAB counts later detections as false positives
    }

    /// <summary>Confirmation only delays and thins the reports: each report of the unconfirmed detector comes
    /// <c>ConfirmRows</c> rows later with the same score, unless another report followed within those rows.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Confirmed_reports_are_the_unbeaten_ones_delayed(int confirmRows)
    {
        var (ts, x) = Series(5000);
        for (var i = 0; i < 6; i++) x[3000 + i] += 8 * (i + 1); // an escalating surprise: a report on several rows
        x[4000] += 40;
        var o = new NabDetectorOptions(ConfirmRows: 0, EpisodeRows: 0);
        var now = NabDetector.Run(ts, x, o);
        var confirmed = NabDetector.Run(ts, x, o with { ConfirmRows = confirmRows });
        var expected = new double[now.Length];
        for (var i = 0; i + confirmRows < now.Length; i++)
            if (now[i] > 0 && now.Skip(i + 1).Take(confirmRows).All(v => v == 0)) expected[i + confirmRows] = now[i];
        Assert.Equal(expected, confirmed);
        var pairs = now.Where((v, i) => v > 0 && i > 0 && now[i - 1] > 0).Count();
        Assert.True(pairs > 0, "the escalation should report on consecutive rows without confirmation");
        Assert.True(confirmed.Count(v => v > 0) < now.Count(v => v > 0));
    }

    /// <summary>The episode rule only drops reports: a report within <c>EpisodeRows</c> rows of the last one kept
    /// survives only if its ratio beats that report's by <c>EpisodeMargin</c>; every other score is unchanged.</summary>
    [Theory]
    [InlineData(0, 10, 0.05)]
    [InlineData(1, 10, 0.05)]
    [InlineData(0, 40, 0.2)]
    public void Episode_rule_drops_follow_up_reports_that_barely_beat_the_last_one(int confirmRows, int rows, double margin)
    {
        var (ts, x) = Series(5000);
        var rng = new Random(Seed + 1);
        for (var i = 1000; i < x.Length; i += 97) x[i] += 3 + 6 * rng.NextDouble(); // bursts of moderate surprises
        var o = new NabDetectorOptions(ConfirmRows: confirmRows, EpisodeRows: 0);
        var all = NabDetector.Run(ts, x, o);
        var kept = NabDetector.Run(ts, x, o with { EpisodeRows = rows, EpisodeMargin = margin });
        var expected = new double[all.Length];
        int last = int.MinValue / 2;
        double lastRatio = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i] <= 0) continue;
            var ratio = all[i] / (1 - all[i]);
            if (i - last <= rows && ratio <= lastRatio * (1 + margin)) continue;
            (expected[i], last, lastRatio) = (all[i], i, ratio);
        }
        Assert.Equal(expected, kept);
        Assert.True(kept.Count(v => v > 0) < all.Count(v => v > 0), "some follow-up report should be dropped");
        Assert.Equal(all, NabDetector.Run(ts, x, o with { EpisodeRows = rows, EpisodeMargin = 0 }));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    public void Scores_do_not_look_ahead(double phaseShift)
    {
        var (ts, a) = Series(3000);
        var b = a.ToArray();
        for (var i = 2000; i < b.Length; i++) b[i] += 100 * Math.Cos(i);
        var o = new NabDetectorOptions(PhaseShift: phaseShift);
        Assert.Equal(NabDetector.Run(ts, a, o)[..2000], NabDetector.Run(ts, b, o)[..2000]);
    }

    /// <summary>Cut at 4201 the spike of row 4200 is a report held for confirmation, due on the first restored row.</summary>
    [Theory]
    [InlineData(0.0, 3001)]
    [InlineData(0.6, 3001)]
    [InlineData(0.0, 4201)]
    public void Saved_state_restores_identical_scores(double phaseShift, int cut) =>
        AssertRestored(new NabDetectorOptions(PhaseShift: phaseShift), cut);

    /// <summary>Cut two rows after the report of row 4200: without the mask every later row reports, and within 40
    /// rows the restored detector must drop them as the first one does.</summary>
    [Fact]
    public void Saved_state_restores_an_open_episode() =>
        AssertRestored(new NabDetectorOptions(MaskPatterns: 0, EpisodeRows: 40, EpisodeMargin: 1), 4203);

    /// <summary>Cut inside a run of range breaks (the trend back above its maximum after a dip), unmasked so every row
    /// scores: the restored detector must keep the run's quiet and the ends of the earlier episodes.</summary>
    [Fact]
    public void Saved_state_restores_an_open_range_break_episode()
    {
        var (ts, x) = Trend(4000);
        for (var i = 3000; i < 3400; i++) x[i] -= 150;
        bool Breaks(int i) => x[i] > x[..i].Max();
        var cut = 1 + Enumerable.Range(3400, 500).First(i => Breaks(i) && Enumerable.Range(i + 1, 10).Any(Breaks));
        AssertRestored(ts, x, new NabDetectorOptions(MaskPatterns: 0, ConfirmRows: 0, EpisodeMargin: -1), cut);
    }

    private static void AssertRestored(NabDetectorOptions o, int cut)
    {
        var (ts, x) = Series(5000);
        x[4200] -= 30;
        Assert.True(NabDetector.Run(ts, x, o)[4201] > 0.5);
        AssertRestored(ts, x, o, cut);
    }

    private static void AssertRestored(List<DateTime> ts, double[] x, NabDetectorOptions o, int cut)
    {
        var learn = NabSweep.ProbationRows(x.Length);
        var a = new NabDetector(learn, o);
        for (var i = 0; i < cut; i++) a.Update(ts[i], x[i]);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) a.Write(w);
        ms.Position = 0;
        var b = new NabDetector(learn, o);
        using (var r = new BinaryReader(ms)) b.Read(r);
        for (var i = cut; i < x.Length; i++) Assert.Equal(a.Update(ts[i], x[i]), b.Update(ts[i], x[i]));
    }

    [Fact]
    public void A_spike_is_found_whatever_the_phase_of_the_downsampling_blocks()
    {
        var (ts, x) = Series(4000);
        x[3000] += 40;
        foreach (var shift in new[] { 0.2, 0.4, 0.6, 0.8 })
        {
            var o = new NabDetectorOptions(PhaseShift: shift);
            var s = NabDetector.Run(ts, x, o);
            Assert.Equal(3000 + o.ConfirmRows, Array.IndexOf(s, s[NabSweep.ProbationRows(4000)..].Max()));
        }
    }

    [Fact]
    public void The_agreement_penalty_only_lowers_scores_and_is_off_at_power_zero()
    {
        var (ts, x) = Series(4000);
        x[3000] += 40;
        for (var i = 3500; i < 3600; i++) x[i] += 5;
        var unmasked = new NabDetectorOptions(MaskPatterns: 0, ConfirmRows: 0, EpisodeRows: 0);
        var with = NabDetector.Run(ts, x, unmasked);
        var without = NabDetector.Run(ts, x, unmasked with { AgreementPower = 0 });
        Assert.All(with.Zip(without), p => Assert.True(p.First <= p.Second, $"{p.First} > {p.Second}"));
        Assert.Contains(with.Zip(without), p => p.First < p.Second);
        Assert.Equal(NabDetector.Run(ts, x, unmasked with { AgreementPower = 0, AgreementPatterns = 1 }), without);
    }

    [Fact]
    public void The_long_memory_damping_only_lowers_scores_and_is_off_at_power_zero()
    {
        var (ts, x) = Series(4000);
        x[1500] += 60; // a large surprise the long memory keeps
        x[3000] += 25;
        for (var i = 3500; i < 3600; i++) x[i] += 5;
        var unmasked = new NabDetectorOptions(MaskPatterns: 0, ConfirmRows: 0, EpisodeRows: 0);
        var with = NabDetector.Run(ts, x, unmasked);
        var without = NabDetector.Run(ts, x, unmasked with { LongRecordPower = 0 });
        Assert.All(with.Zip(without), p => Assert.True(p.First <= p.Second, $"{p.First} > {p.Second}"));
        Assert.Contains(with.Zip(without), p => p.First < p.Second);
        Assert.Equal(NabDetector.Run(ts, x, unmasked with { LongRecordPower = 0, LongRecordHalfLives = 1 }), without);
    }

    /// <summary>The range-break factor against its definition: with the mask, confirmation and episode rule off the
    /// score is ratio/(1 + ratio), so a row whose value lies beyond every value before it must score
    /// k·ratio/(1 + k·ratio) where the detector without the factor scores ratio/(1 + ratio), and every other row the same.</summary>
    [Theory]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void A_value_beyond_the_range_seen_has_its_ratio_multiplied(double factor)
    {
        var (ts, x) = Series(4000);
        x[2500] += 40; // a new maximum
        x[3000] -= 15; // a new minimum
        for (var i = 3500; i < 3600; i++) x[i] += 0.3 * (i - 3500); // a slow climb that keeps breaking the maximum
        var unmasked = new NabDetectorOptions(MaskPatterns: 0, ConfirmRows: 0, EpisodeRows: 0, RangeBreakFactor: 1, RangeBreakQuietShare: 0);
        var off = NabDetector.Run(ts, x, unmasked);
        var on = NabDetector.Run(ts, x, unmasked with { RangeBreakFactor = factor });
        var breaks = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var outside = i > 0 && (x[i] > x[..i].Max() || x[i] < x[..i].Min());
            if (!outside || off[i] == 0) { Assert.Equal(off[i], on[i]); continue; }
            var ratio = factor * off[i] / (1 - off[i]);
            Assert.Equal(ratio / (1 + ratio), on[i], 1e-12);
            breaks++;
        }
        Assert.True(breaks >= 3, $"{breaks} scored range breaks");
    }

    /// <summary>Linear growth with noise: a new maximum every few rows. Doubling the ratio of every range break (the
    /// factor without the quiet guard) makes such a series raise many more alarms than without the factor; with the
    /// guard a routine break is no news and at most a fifth of those extra alarms remain.</summary>
    [Fact]
    public void A_series_that_keeps_breaking_its_range_gets_no_range_break_boost()
    {
        var (ts, x) = Trend(4000);
        var probation = NabSweep.ProbationRows(x.Length);
        int Alarms(NabDetectorOptions o) => NabDetector.Run(ts, x, o)[probation..].Count(v => v >= 0.5357); // the dev split's threshold (standard profile)
        var plain = Alarms(new NabDetectorOptions(RangeBreakFactor: 1));
        var unguarded = Alarms(new NabDetectorOptions(RangeBreakQuietShare: 0));
        var guarded = Alarms(new NabDetectorOptions());
        Assert.True(unguarded >= plain + 10, $"factor without guard {unguarded}, without factor {plain}");
        Assert.True(guarded - plain <= (unguarded - plain) / 5, $"guarded {guarded}, unguarded {unguarded}, without factor {plain}");
    }

    /// <summary>The quiet guard against its definition (mask, confirmation and episode dropping off; the episode span
    /// still joins breaks): breaks on one side less than <c>EpisodeRows</c> apart are one episode; a new episode gets the
    /// factor k^q with q = min(1, (row − end of the m-th most recent earlier episode on its side) ÷ (share × row)), and
    /// its later breaks keep that q.</summary>
    [Theory]
    [InlineData(0.5, 3)]
    [InlineData(0.0625, 1)]
    public void A_range_break_is_boosted_by_how_quiet_its_side_of_the_range_had_been(double share, int m)
    {
        var (ts, x) = Trend(4000);
        for (var i = 3000; i < 3400; i++) x[i] -= 150; // a quiet maximum, then a spike beyond it
        x[3700] += 60;
        const double K = 2;
        var o = new NabDetectorOptions(MaskPatterns: 0, ConfirmRows: 0, EpisodeRows: 10, EpisodeMargin: -1, RangeBreakQuietShare: 0);
        var off = NabDetector.Run(ts, x, o with { RangeBreakFactor = 1 });
        var on = NabDetector.Run(ts, x, o with { RangeBreakFactor = K, RangeBreakQuietShare = share, RangeBreakEpisodes = m });
        var (min, max) = (x[0], x[0]);
        var ends = new[] { new long[m], new long[m] };
        double[] quiet = [0, 0];
        int partial = 0, full = 0;
        for (var i = 1; i < x.Length; i++)
        {
            var side = x[i] > max ? 1 : x[i] < min ? 0 : -1;
            (min, max) = (Math.Min(min, x[i]), Math.Max(max, x[i]));
            var factor = 1.0;
            if (side >= 0)
            {
                var e = ends[side];
                if (i - e[0] > 10)
                {
                    quiet[side] = Math.Min(1, (i - e[m - 1]) / (share * i));
                    for (var j = m - 1; j > 0; j--) e[j] = e[j - 1];
                }
                e[0] = i;
                factor = Math.Pow(K, quiet[side]);
            }
            if (off[i] == 0) { Assert.Equal(0, on[i]); continue; }
            var ratio = factor * off[i] / (1 - off[i]);
            Assert.Equal(ratio / (1 + ratio), on[i], 1e-12);
            if (factor > 1 && factor < K) partial++;
            if (factor == K) full++;
        }
        Assert.True(partial >= 3 && full >= 1, $"{partial} scored breaks with a partial factor, {full} with the full one");
    }

    private static (List<DateTime> Ts, double[] X) Trend(int n)
    {
        var rng = new Random(Seed);
        var x = new double[n];
        for (var i = 0; i < n; i++)
            x[i] = 100 + 0.05 * i + 5 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return (x.Select((_, i) => DateTime.UnixEpoch.AddMinutes(5 * i)).ToList(), x);
    }

    /// <summary>Where the downsampling blocks start is arbitrary; the score at a single phase swung by up to 8 points
    /// with an earlier detector (RESULTS.md), so the figure held is the mean over five phases.</summary>
    [Fact]
    public void Dev_split_score_averaged_over_block_phases_stays_above_numenta_htm()
    {
        var corpus = NabCorpus.Load(NabCorpus.FindDevSplit());
        var scores = new[] { 0, 0.2, 0.4, 0.6, 0.8 }.Select(shift =>
        {
            var o = new NabDetectorOptions(PhaseShift: shift);
            return NabScorer.Evaluate(corpus, corpus.Select(s => (IReadOnlyList<double>)NabDetector.Run(s.Timestamps, s.Values, o)).ToList())[0].Normalized;
        }).ToList();
        // 73.63 with the range-break factor (71.62 without, 71.15 also without the episode rule, 70.76 also without the long-memory damping, 70.42 also without reports confirmed one row late, 69.15
        // also without the slower-fading record excess, 66.64 also without the agreement penalty); Numenta HTM scores
        // 64.85 on the same files.
        Assert.True(scores.Average() > 70, $"standard {string.Join(" / ", scores.Select(v => v.ToString("0.00")))} (Numenta HTM 64.85 on the same files)");
    }
}
