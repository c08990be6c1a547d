using Smart.Detection.Nab;

namespace Smart.Detection.Tests.Nab;

public class FadingRecordTests
{
    [Fact]
    public void A_record_sets_the_bar_and_its_excess_fades_more_slowly_than_the_bar_it_broke()
    {
        var m = new FadingRecord(halfLife: 100, floor: 0, excessHalfLives: 2);
        m.Learn(1);
        m.Learn(5);
        Assert.Equal(5, m.Bar, 9);
        for (var i = 0; i < 100; i++) m.Learn(0);
        // the first value was itself a record over an empty bar, so all of it was excess (fading at 200 rows);
        // the bar that 5 broke (≈ 1) now halves over one half-life, the new excess (≈ 4) loses only a factor √2
        var broken = Math.Exp(-Math.Log(2) / 200);
        Assert.Equal(broken * 0.5 + (5 - broken) / Math.Sqrt(2), m.Bar, 9);
    }

    [Fact]
    public void At_one_excess_half_life_it_is_a_plain_fading_peak()
    {
        var m = new FadingRecord(halfLife: 50, floor: 0.5, excessHalfLives: 1);
        var rng = new Random(20261122);
        double peak = 0, decay = Math.Exp(-Math.Log(2) / 50);
        for (var i = 0; i < 2000; i++)
        {
            var x = rng.NextDouble() * (i % 300 == 0 ? 20 : 2);
            Assert.Equal(x / Math.Max(peak, 0.5), m.Ratio(x), 9);
            m.Learn(x);
            peak = Math.Max(peak * decay, x);
        }
    }

    [Fact]
    public void Saved_state_restores_the_same_bar()
    {
        var a = new FadingRecord(30, 1, 2);
        foreach (var x in new[] { 0.5, 3, 1, 7, 2 }) a.Learn(x);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) a.Write(w);
        ms.Position = 0;
        var b = new FadingRecord(30, 1, 2);
        using (var r = new BinaryReader(ms)) b.Read(r);
        foreach (var x in new[] { 4.0, 0, 9, 1 }) { Assert.Equal(a.Ratio(x), b.Ratio(x)); a.Learn(x); b.Learn(x); }
    }
}
