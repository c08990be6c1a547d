using System.Text;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Host.Bridge;

namespace Smart.Host.Tests.Bridge;

public sealed class LiveTelemetryTests
{
    [Fact]
    public void Every_message_counts_in_the_rate_but_only_readings_become_samples()
    {
        var directory = new DeviceDirectory();
        foreach (var d in DemoDistrict.Create().Devices) directory.Upsert(d);
        var decoder = new MessageDecoder(directory);
        var fire = directory.All.First(d => d.Kind == DeviceKind.Fire);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        DecodedMessage Decode(TopicChannel channel, string json)
        {
            Assert.True(decoder.TryDecode(DeviceTopic.Format(fire.Kind, fire.Id, channel), Encoding.UTF8.GetBytes(json), now, out var m, out _));
            return m!;
        }
        var live = new LiveTelemetry();
        // seq 64 and 128 are both sampling slots (one in 64): the status message would be sampled if it were a reading.
        live.Record(Decode(TopicChannel.Status, """{"online":true,"seq":64}"""));
        live.Record(Decode(TopicChannel.Telemetry, """{"ts":1790000000000,"seq":128,"smoke_pct_per_m":0.4,"temp_c":22.5,"co_ppm":1}"""));

        var (_, byKind, samples) = live.TakeSnapshot();

        Assert.True(byKind["fire"] > 0);
        var sample = Assert.Single(samples);
        Assert.Equal((fire.Id, "smoke_pct_per_m", 0.4), (sample.DeviceId, sample.Metric, sample.Value));
    }
}
