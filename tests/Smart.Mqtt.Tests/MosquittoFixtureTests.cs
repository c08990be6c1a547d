using Smart.Testing;

namespace Smart.Mqtt.Tests;

public sealed class MosquittoFixtureTests(MosquittoFixture broker) : IClassFixture<MosquittoFixture>
{
    [Fact]
    public async Task Fixture_starts_mosquitto_on_its_port_and_restarts_it()
    {
        Assert.True(await Ports.AcceptsAsync(broker.Port), broker.Output);
        await broker.RestartAsync();
        Assert.True(await Ports.AcceptsAsync(broker.Port), broker.Output);
    }
}
