using Smart.Testing;

namespace Smart.Influx.Tests;

public sealed class InfluxFixtureTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task Fixture_starts_influxd_and_creates_the_database()
    {
        var body = await influx.QueryAsync("SHOW DATABASES");
        Assert.Contains("\"smart\"", body);
    }
}
