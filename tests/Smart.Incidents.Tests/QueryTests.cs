using Smart.Core;
using Smart.Core.Incidents;
using Smart.Testing;

namespace Smart.Incidents.Tests;

public abstract class QueryTests(IStoreProvider provider) : StoreTestBase(provider)
{
    [Fact]
    public async Task Each_person_sees_only_their_scope_and_other_incidents_read_as_not_found()
    {
        var g1 = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        var g2 = (await RaiseAsync("fire-g2-b1-1")).Incident.Id;
        var g5 = (await RaiseAsync("fire-g5-b1-1")).Incident.Id;
        async Task<long[]> Visible(Actor a) => (await Store.ListAsync(new IncidentQuery(), a.Scope)).Items.Select(i => i.Id).Order().ToArray();
        Assert.Equal([g1], await Visible(Worker(1)));
        Assert.Equal([g1, g2], await Visible(CommunityStaff(1)));
        Assert.Equal([g5], await Visible(CommunityStaff(2)));
        Assert.Equal([g1, g2, g5], await Visible(StreetStaff));
        Assert.Equal([g1, g2, g5], await Visible(Operator));
        Assert.Null(await Store.GetAsync(g2, Worker(1).Scope));
        Assert.Null(await Store.GetHistoryAsync(g2, Worker(1).Scope));
        Assert.NotNull(await Store.GetAsync(g2, CommunityStaff(1).Scope));
        // A filter naming another grid does not widen the scope.
        Assert.Empty((await Store.ListAsync(new IncidentQuery { GridId = "g2" }, Worker(1).Scope)).Items);
    }

    [Fact]
    public async Task Filters_and_paging_combine()
    {
        for (var b = 1; b <= 5; b++)
        {
            await RaiseAsync($"fire-g1-b{b}-1");
            Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var camera = await Store.RaiseAsync(new AlertInput("cam-g1-b1", IncidentTypes.CameraBlocked, null, "lens_blocked", 1, "blocked", Clock.GetUtcNow()));
        await DriveToAsync(camera.Incident.Id, IncidentState.Cancelled);
        Assert.Equal(6, (await Store.ListAsync(new IncidentQuery(), Scope.All)).Total);
        Assert.Equal(5, (await Store.ListAsync(new IncidentQuery { Open = true }, Scope.All)).Total);
        Assert.Equal(1, (await Store.ListAsync(new IncidentQuery { States = [IncidentState.Cancelled] }, Scope.All)).Total);
        Assert.Equal(1, (await Store.ListAsync(new IncidentQuery { Severity = Severity.P3 }, Scope.All)).Total);
        Assert.Equal(5, (await Store.ListAsync(new IncidentQuery { Type = IncidentTypes.FireSmoke, Level = IncidentLevel.Grid }, Scope.All)).Total);
        var range = await Store.ListAsync(new IncidentQuery { From = ManualClock.DefaultStart + TimeSpan.FromMinutes(1), To = ManualClock.DefaultStart + TimeSpan.FromMinutes(3) }, Scope.All);
        Assert.Equal(2, range.Total);
        var page = await Store.ListAsync(new IncidentQuery { Limit = 2, Offset = 1 }, Scope.All);
        Assert.Equal(6, page.Total);
        Assert.Equal(["fire-g1-b5-1", "fire-g1-b4-1"], page.Items.Select(i => i.DeviceId!)); // newest first, after the camera
    }

    [Fact]
    public async Task Devices_are_listed_and_read_within_scope()
    {
        var mine = await Store.ListDevicesAsync(Worker(1).Scope);
        Assert.Equal(47, mine.Count); // 5 buildings × (6 fire + 1 camera + 2 chargers) + 2 manholes
        Assert.All(mine, d => Assert.Equal("g1", d.GridId));
        Assert.Equal(2, (await Store.ListDevicesAsync(Scope.All, DeviceKind.Manhole, "g3")).Count);
        Assert.Equal(423, (await Store.ListDevicesAsync(Scope.All, limit: 5000)).Count);
        // A list's total counts every match, whatever the page.
        Assert.Equal(47, await Store.CountDevicesAsync(Worker(1).Scope));
        Assert.Equal(2, await Store.CountDevicesAsync(Scope.All, DeviceKind.Manhole, "g3"));
        Assert.Equal(423, await Store.CountDevicesAsync(Scope.All));
        Assert.Equal(0, await Store.CountDevicesAsync(Worker(1).Scope, gridId: "g2"));
        Assert.Null(await Store.GetDeviceAsync("fire-g2-b1-1", Worker(1).Scope));
        var manhole = await Store.GetDeviceAsync("mh-g1-1", CommunityStaff(1).Scope);
        Assert.NotNull(manhole?.Location);
    }

    [Fact]
    public async Task Devices_are_registered_in_a_building_and_retired_within_scope()
    {
        var changed = new List<Device>();
        Store.DeviceChanged += changed.Add;
        var device = await Store.RegisterDeviceAsync("chg-new-1", DeviceKind.Charger, "g4-b2");
        Assert.Equal(("g4", "c2", "st1"), (device.GridId, device.CommunityId, device.StreetId));
        Assert.Equal(device, await Store.GetDeviceAsync("chg-new-1", Worker(4).Scope));
        Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(() => Store.RegisterDeviceAsync("chg-new-1", DeviceKind.Charger, "g4-b2"))).Error);
        Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(() => Store.RegisterDeviceAsync("bad id!", DeviceKind.Charger, "g4-b2"))).Error);
        Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(() => Store.RegisterDeviceAsync("chg-new-2", DeviceKind.Charger, "nowhere"))).Error);
        var outside = await Assert.ThrowsAsync<IncidentException>(() => Store.RegisterDeviceAsync("chg-new-3", DeviceKind.Charger, "g4-b2", scope: CommunityStaff(1).Scope));
        Assert.Equal(IncidentError.Forbidden, outside.Error); // g4 is in community c2
        Assert.Null(await Store.GetDeviceAsync("chg-new-3", Scope.All));
        Assert.Equal("c1", (await Store.RegisterDeviceAsync("chg-new-3", DeviceKind.Charger, "g1-b2", scope: CommunityStaff(1).Scope)).CommunityId);
        Assert.Equal("p-g4-w1", (await RaiseAsync("chg-new-1", IncidentTypes.ChargerLeakage)).Incident.AssigneeId);
        Assert.Null(await Store.RetireDeviceAsync("chg-new-1", Worker(1).Scope)); // not theirs
        Assert.True((await Store.RetireDeviceAsync("chg-new-1", CommunityStaff(2).Scope))!.Retired);
        var e = await Assert.ThrowsAsync<IncidentException>(() => RaiseAsync("chg-new-1", IncidentTypes.ChargerOverheat));
        Assert.Contains("retired", e.Message);
        // The bridge's directory follows these (DeviceChanged): registered, then retired; refusals raise nothing.
        Assert.Equal([("chg-new-1", false), ("chg-new-3", false), ("chg-new-1", true)], changed.Select(d => (d.Id, d.Retired)));
    }

    [Fact]
    public async Task A_device_is_put_under_maintenance_within_scope_and_read_back_with_its_period()
    {
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        Assert.Null(await Store.SetMaintenanceAsync("fire-g1-b1-1", t0.AddHours(1), "年检", Worker(4).Scope)); // not theirs
        Assert.Null(await Store.SetMaintenanceAsync("fire-nope", t0.AddHours(1), null, Scope.All));
        var device = await Store.SetMaintenanceAsync("fire-g1-b1-1", t0.AddHours(1), "年检", CommunityStaff(1).Scope);
        Assert.Equal(new DeviceMaintenance(t0.AddHours(1), "年检"), device!.Maintenance);
        Assert.Equal(device, await Store.GetDeviceAsync("fire-g1-b1-1", Scope.All));
        // Read with the district as the bridge reads it (its directory decides on alerts).
        Assert.Equal(device.Maintenance, (await Store.ListDevicesAsync(Scope.All, DeviceKind.Fire, "g1", limit: 5000)).Single(d => d.Id == "fire-g1-b1-1").Maintenance);
        Assert.Null((await Store.GetDeviceAsync("fire-g1-b1-2", Scope.All))!.Maintenance);
        await Store.RetireDeviceAsync("fire-g1-b1-2", Scope.All);
        Assert.Null(await Store.SetMaintenanceAsync("fire-g1-b1-2", t0.AddHours(1), null, Scope.All)); // retired
    }

    [Fact]
    public async Task All_devices_are_read_for_the_bridge_beyond_the_page_limit()
    {
        // 5 200 more chargers than the demo district's 423: a page stops at 5 000, the bridge's read does not.
        await using (var connection = await OpenAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection,
                "INSERT INTO devices (id, kind, building_id, grid_id, community_id, street_id, retired) VALUES (@id, 'charger', 'g4-b2', 'g4', 'c2', 'st1', 0)",
                Enumerable.Range(0, 5200).Select(i => new { id = $"chg-bulk-{i:D4}" }), tx);
            await tx.CommitAsync();
        }
        Assert.Equal(5000, (await Store.ListDevicesAsync(Scope.All, limit: int.MaxValue)).Count);
        var all = await Store.AllDevicesAsync();
        Assert.Equal(5623, all.Count);
        Assert.Contains(all, d => d.Id == "chg-bulk-5199");
    }

    private async Task<System.Data.Common.DbConnection> OpenAsync()
    {
        System.Data.Common.DbConnection connection = Provider.Name == "sqlite"
            ? new Microsoft.Data.Sqlite.SqliteConnection(Store.Options.ConnectionString)
            : new Npgsql.NpgsqlConnection(Store.Options.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task Scopes_nest_street_community_grid()
    {
        Assert.True(await Store.IsWithinAsync(Scope.All, Scope.Grid("g9")));
        Assert.True(await Store.IsWithinAsync(Scope.Street("st1"), Scope.Community("c2")));
        Assert.True(await Store.IsWithinAsync(Scope.Community("c1"), Scope.Grid("g3")));
        Assert.False(await Store.IsWithinAsync(Scope.Community("c1"), Scope.Grid("g4")));
        Assert.False(await Store.IsWithinAsync(Scope.Grid("g1"), Scope.Community("c1")));
        Assert.False(await Store.IsWithinAsync(Scope.All, Scope.Grid("nope")));
        Assert.Equal("p-g3-w2", (await Store.FindLoginAsync("worker3b"))?.Person.Id);
    }

    [Fact]
    public async Task Migrations_and_district_loading_are_idempotent()
    {
        await Store.InitializeAsync();
        await Store.LoadDistrictAsync(District.Demo);
        var again = await Provider.OpenSiblingAsync(Store, Clock, "second");
        await again.LoadDistrictAsync(District.Demo);
        Assert.Equal(423, (await again.ListDevicesAsync(Scope.All, limit: 5000)).Count);
        Assert.Equal("p-g1-w1", (await RaiseAsync("fire-g1-b1-1")).Incident.AssigneeId); // roster not duplicated or lost
        await using var connection = await OpenAsync();
        var versions = await Dapper.SqlMapper.QueryAsync<long>(connection, "SELECT version FROM schema_migrations ORDER BY version");
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L], versions);
    }
}

public sealed class SqliteQueryTests() : QueryTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresQueryTests(PostgresFixture postgres) : QueryTests(new PostgresProvider(postgres));
