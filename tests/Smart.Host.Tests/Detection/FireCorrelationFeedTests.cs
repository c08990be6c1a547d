using Microsoft.Extensions.Logging.Abstractions;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Core.Incidents;
using Smart.Detection;
using Smart.Host.Detection;
using Smart.Host.Incidents;
using Smart.Incidents;
using Smart.Testing;

namespace Smart.Host.Tests.Detection;

/// <summary>Two hosts on one PostgreSQL (DESIGN §13), each with its own detection engine, as a shared subscription makes
/// them: the detectors of one building are read by different hosts.</summary>
public sealed class FireCorrelationFeedTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(90));
    private readonly List<Task> _listening = [];
    private readonly List<FireCorrelationFeed> _feeds = [];

    private sealed record Host(IncidentStore Store, DetectionEngine Engine, IncidentAlertSink Sink);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var feed in _feeds) await feed.StopAsync(CancellationToken.None);
        await _stop.CancelAsync();
        await Task.WhenAll(_listening);
        _stop.Dispose();
    }

    private async Task<(Host A, Host B)> TwoHostsAsync(bool feeds)
    {
        var connection = await postgres.CreateDatabaseAsync("feed");
        var a = await IncidentStore.OpenAsync(new IncidentStoreOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connection, InstanceId = "host-a" });
        await a.LoadDistrictAsync(DemoDistrict.Create());
        var b = await IncidentStore.OpenAsync(new IncidentStoreOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connection, InstanceId = "host-b" });
        var hosts = new[] { a, b }.Select(s => new Host(s, new DetectionEngine(), new IncidentAlertSink(s, new Smart.Host.Bridge.DeviceDirectory(), NullLogger<IncidentAlertSink>.Instance))).ToArray();
        foreach (var h in hosts)
        {
            _listening.Add(h.Store.ListenAsync(_stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
            if (!feeds) continue;
            var feed = new FireCorrelationFeed(h.Store, h.Engine, h.Sink, NullLogger<FireCorrelationFeed>.Instance);
            await feed.StartAsync(CancellationToken.None);
            _feeds.Add(feed);
        }
        return (hosts[0], hosts[1]);
    }

    /// <summary>What a host's bridge does with a detector's own alarm: detect, then raise what detection found.</summary>
    private static async Task<IReadOnlyList<string>> AlarmAsync(Host host, string deviceId, DateTimeOffset at)
    {
        var reading = new ReadingInput(deviceId, DeviceKind.Fire, deviceId[5..^2], at.ToUnixTimeMilliseconds(),
            [new Metric("smoke_pct_per_m", 9), new Metric("temp_c", 31), new Metric("co_ppm", 2), new Metric("alarm", 1)]);
        var alerts = host.Engine.Process(reading).Alerts;
        foreach (var alert in alerts) await host.Sink.RaiseAsync(alert, CancellationToken.None);
        return alerts.Select(a => a.IncidentType).ToList();
    }

    private static async Task<IReadOnlyList<Incident>> ConfirmedFiresAsync(IncidentStore store) =>
        (await store.ListAsync(new IncidentQuery { Type = IncidentTypes.FireConfirmed, Open = true }, Scope.All)).Items;

    [Fact]
    public async Task Two_detectors_of_one_building_read_by_different_hosts_confirm_one_fire()
    {
        var (a, b) = await TwoHostsAsync(feeds: true);
        var now = DateTimeOffset.UtcNow;

        Assert.DoesNotContain(IncidentTypes.FireConfirmed, await AlarmAsync(b, "fire-g1-b1-1", now));
        await AlarmAsync(a, "fire-g1-b1-2", now.AddSeconds(20));

        // Whichever host finds the confirmation (the one that reads the second alarm, or the other from its incident, or
        // both), there is one confirmed fire, listing the two detectors.
        await Eventually.UntilAsync(async () => (await ConfirmedFiresAsync(a.Store)).SingleOrDefault() is { } f && f.DeviceIds.Count == 2,
            TimeSpan.FromSeconds(30), "one confirmed fire with both detectors");
        var fire = Assert.Single(await ConfirmedFiresAsync(b.Store));
        Assert.Equal(("g1-b1", Severity.P1), (fire.Location.BuildingId, fire.Severity));
        Assert.Equal(["fire-g1-b1-1", "fire-g1-b1-2"], fire.DeviceIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_the_feed_neither_host_sees_two_detectors()
    {
        var (a, b) = await TwoHostsAsync(feeds: false);
        var now = DateTimeOffset.UtcNow;
        Assert.DoesNotContain(IncidentTypes.FireConfirmed, await AlarmAsync(b, "fire-g1-b1-1", now));
        Assert.DoesNotContain(IncidentTypes.FireConfirmed, await AlarmAsync(a, "fire-g1-b1-2", now.AddSeconds(20)));
        Assert.Empty(await ConfirmedFiresAsync(a.Store));
    }
}
