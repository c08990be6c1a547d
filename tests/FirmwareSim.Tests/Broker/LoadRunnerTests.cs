using FirmwareSim.Modes;
using FirmwareSim.Transport;
using Smart.Testing;
using Xunit.Abstractions;

namespace FirmwareSim.Tests.Broker;

[Collection(BrokerCollection.Name)]
public class LoadRunnerTests(SecuredMosquittoFixture broker, ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Load_run_at_a_fixed_rate_sends_exactly_the_requested_count(bool atLeastOnce)
    {
        const long count = 10_000;
        const double rate = 5_000;
        await using var observer = await Observer.StartAsync(broker, "smart/v1/+/+/telemetry");
        var options = new LoadOptions
        {
            BrokerUrl = broker.Url, Username = SecuredMosquittoFixture.LoadUser, Password = SecuredMosquittoFixture.LoadPassword,
            Devices = broker.Devices, Connections = 2, Rate = rate, Count = count, AtLeastOnce = atLeastOnce, Seed = 8,
        };
        var report = await new LoadRunner(options, new SmartMqttLinkFactory()).RunAsync();
        output.WriteLine($"{report} rate={report.MessagesPerSecond:F0}/s");
        Assert.Equal(count, report.Sent);
        Assert.Equal(count, report.Acked);
        Assert.Equal(0, report.Errors);
        Assert.InRange(report.Elapsed.TotalSeconds, count / rate * 0.9, count / rate * 4); // paced, not flooded (upper bound: a busy shared box)
        await Eventually.UntilAsync(() => observer.Received.Count >= count, TimeSpan.FromSeconds(20), $"{count} messages at the subscriber");
        Assert.Equal(count, observer.Received.Count);
        // Every device got its own contiguous seq run: the multiplexing keeps per-device order.
        foreach (var g in observer.Received.GroupBy(m => m.Topic))
        {
            var seqs = g.Select(m => System.Text.Json.JsonDocument.Parse(m.Payload).RootElement.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        }
    }
}
