using FirmwareSim.Firmware;

namespace FirmwareSim.Tests.Firmware;

public class StoreAndForwardBufferTests
{
    [Fact]
    public void Keeps_order_and_drops_the_oldest_when_full()
    {
        var buffer = new StoreAndForwardBuffer<int>(3);
        Assert.True(buffer.Add(1));
        Assert.True(buffer.Add(2));
        Assert.True(buffer.Add(3));
        Assert.False(buffer.Add(4)); // 1 is dropped
        Assert.Equal(1, buffer.Dropped);
        var drained = new List<int>();
        while (buffer.TryPeek(out var x)) { drained.Add(x); buffer.Remove(x); }
        Assert.Equal([2, 3, 4], drained);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Removing_a_head_that_was_already_dropped_keeps_the_new_head()
    {
        var buffer = new StoreAndForwardBuffer<string>(2);
        buffer.Add("a");
        buffer.Add("b");
        Assert.True(buffer.TryPeek(out var head));
        buffer.Add("c"); // "a" dropped while it was being sent
        buffer.Remove(head);
        Assert.True(buffer.TryPeek(out var next));
        Assert.Equal("b", next);
        Assert.Equal(2, buffer.Count);
    }

    [Fact]
    public async Task Concurrent_producer_and_consumer_lose_nothing_below_capacity()
    {
        var buffer = new StoreAndForwardBuffer<int>(100_000);
        var producer = Task.Run(() => { for (var i = 0; i < 50_000; i++) buffer.Add(i); });
        var seen = new List<int>();
        while (seen.Count < 50_000)
        {
            if (buffer.TryPeek(out var x)) { seen.Add(x); buffer.Remove(x); }
        }
        await producer;
        Assert.Equal(Enumerable.Range(0, 50_000), seen);
    }
}
