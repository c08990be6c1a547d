using Smart.Host.Bridge;

namespace Smart.Host.Tests.Bridge;

public sealed class DeviceStatusBoardTests
{
    [Fact]
    public void A_device_is_last_seen_at_its_newest_reading_and_one_that_only_said_offline_was_never_seen()
    {
        var board = new DeviceStatusBoard();
        Assert.Equal((false, null), board.Get("fire-1"));
        // A retained "offline" status (the broker's will) before any reading: offline, never heard.
        board.SetOnline("fire-1", online: false, 1_790_000_000_000);
        Assert.Equal((false, null), board.Get("fire-1"));
        board.Seen("fire-1", 1_790_000_005_000);
        board.Seen("fire-1", 1_790_000_001_000); // a late reading does not move it back
        Assert.Equal((true, DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_005_000)), board.Get("fire-1"));
        board.SetOnline("fire-1", online: false, 1_790_000_009_000);
        Assert.Equal((false, DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_005_000)), board.Get("fire-1"));
    }
}
