using Smart.Host.Bridge;

namespace Smart.Host.Tests.Bridge;

public sealed class SeqTrackerTests
{
    [Fact]
    public void Counts_duplicates_gaps_reorders_and_reboots()
    {
        var t = new SeqTracker();
        foreach (var s in new long[] { 1, 2, 2, 5, 4, 100, 1, 2 }) t.Observe("d1", s);
        Assert.Equal(1, t.Duplicates);   // 2 twice
        Assert.Equal(2 + 94, t.Gaps);    // 3,4 missing at 5; 6..99 at 100
        Assert.Equal(1, t.Reorders);     // 4 after 5
        Assert.Equal(1, t.Reboots);      // 100 → 1
    }

    [Fact]
    public void Devices_are_tracked_independently()
    {
        var t = new SeqTracker();
        t.Observe("a", 1); t.Observe("b", 1); t.Observe("a", 2); t.Observe("b", 2);
        Assert.Equal(0, t.Duplicates + t.Gaps + t.Reorders + t.Reboots);
    }
}
