using FirmwareSim.Firmware;

namespace FirmwareSim.Tests.Firmware;

public class BackoffTests
{
    [Fact]
    public void Delays_grow_exponentially_with_jitter_up_to_the_cap_and_reset()
    {
        const int seed = 17;
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), new Random(seed));
        var delays = Enumerable.Range(0, 40).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        for (var i = 0; i < delays.Count; i++)
            Assert.InRange(delays[i], 50, Math.Min(5000, 100 * Math.Pow(2, i)));
        Assert.True(delays.Skip(10).Average() > 1500, "late delays should approach the cap on average");
        Assert.True(delays.Skip(10).Distinct().Count() > 20, "jitter must spread reconnects");
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }
}
