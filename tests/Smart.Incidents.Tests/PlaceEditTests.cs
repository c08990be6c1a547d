using Smart.Core;
using Smart.Core.Incidents;
using Smart.Testing;

namespace Smart.Incidents.Tests;

/// <summary>网格调整: places are corrected and moved with their devices; devices move between buildings.</summary>
public abstract class PlaceEditTests(IStoreProvider provider) : StoreTestBase(provider)
{
    // Inside the demo grid g1 (120.150–120.154, 30.250–30.254), outside every other grid.
    private static readonly GeoPoint InG1 = new(120.152, 30.252);

    private Task<IncidentChange> ReportAtAsync(GeoPoint point) =>
        Store.ReportManualAsync(new ManualReport("路面塌陷", null, null, point, null, null), Operator);

    [Fact]
    public async Task A_building_moved_to_another_grid_takes_its_devices_along_and_its_open_incident_stays_where_it_was_raised()
    {
        var open = (await RaiseAsync("fire-g1-b1-1")).Incident;
        var changed = new List<Device>();
        Store.DeviceChanged += changed.Add;

        var edited = await Store.EditPlaceAsync(PlaceLevel.Building, "g1-b1", new PlaceEdit(ParentId: "g4"));

        Assert.Equal(("g4", 9, "1区1栋", 12), (edited?.ParentId, edited?.DevicesMoved, edited?.Name, edited?.Floors));
        Assert.Equal(9, changed.Count);
        Assert.All(changed, d => Assert.Equal(("g1-b1", "g4", "c2", "st1"), (d.BuildingId, d.GridId, d.CommunityId, d.StreetId)));
        Assert.Equal("g4", (await Store.GetDeviceAsync("cam-g1-b1", Worker(4).Scope))?.GridId);
        Assert.Null(await Store.GetDeviceAsync("cam-g1-b1", Worker(1).Scope));
        Assert.Equal(9, (await Store.ListDevicesAsync(Scope.All, gridId: "g4", limit: 5000)).Count(d => d.BuildingId == "g1-b1"));
        Assert.Contains((await Store.GetDistrictMapAsync(Scope.Grid("g4"))).Buildings, b => b.Id == "g1-b1");

        Assert.Equal("g1", (await GetAsync(open.Id)).Location.GridId); // raised in g1, stays in g1
        Assert.Equal(("g4", "p-g4-w1"), (await RaiseAsync("fire-g1-b1-2")) is var raised ? (raised.Incident.Location.GridId, raised.Incident.AssigneeId) : default);
    }

    [Fact]
    public async Task A_building_s_name_floors_and_point_are_corrected_and_what_is_left_out_keeps_its_value()
    {
        var changed = new List<Device>();
        Store.DeviceChanged += changed.Add;
        var edited = await Store.EditPlaceAsync(PlaceLevel.Building, "g2-b3", new PlaceEdit(Floors: 33, Lat: 30.2531));
        Assert.Equal(("g2", 33, 30.2531, 0), (edited?.ParentId, edited?.Floors, edited?.Location?.Lat, edited?.DevicesMoved));
        var building = (await Store.GetDistrictMapAsync(Scope.Grid("g2"))).Buildings.Single(b => b.Id == "g2-b3");
        var demo = District.Demo.Buildings.Single(b => b.Id == "g2-b3");
        Assert.Equal((demo.Name, 33, demo.Location.Lon, 30.2531), (building.Name, building.Floors, building.Location.Lon, building.Location.Lat));
        Assert.Equal("g2", (await Store.EditPlaceAsync(PlaceLevel.Building, "g2-b3", new PlaceEdit(ParentId: "g2")))?.ParentId); // no move: fine
        Assert.Empty(changed);
    }

    [Fact]
    public async Task A_grid_moved_to_another_community_keeps_its_people_and_is_located_in_its_new_community()
    {
        Assert.Equal("c1", (await ReportAtAsync(InG1)).Incident.Location.CommunityId); // the grid locator is now cached
        var changed = new List<Device>();
        Store.DeviceChanged += changed.Add;

        Assert.Equal(47, (await Store.EditPlaceAsync(PlaceLevel.Grid, "g1", new PlaceEdit(ParentId: "c3")))?.DevicesMoved);

        Assert.Equal(47, changed.Count);
        Assert.All(changed, d => Assert.Equal(("g1", "c3"), (d.GridId, d.CommunityId)));
        Assert.Equal(47, (await Store.ListDevicesAsync(CommunityStaff(3).Scope, gridId: "g1", limit: 5000)).Count);
        Assert.Empty(await Store.ListDevicesAsync(CommunityStaff(1).Scope, gridId: "g1"));
        Assert.Equal(Scope.Grid("g1"), Worker(1).Scope);
        Assert.Equal("g1", (await Store.FindPersonAsync("p-g1-w1"))?.ScopeId); // their area moved with the grid
        Assert.Equal(("g1", "c3"), (await ReportAtAsync(InG1)) is var report ? (report.Incident.Location.GridId, report.Incident.Location.CommunityId) : default);
        Assert.True(await Store.IsWithinAsync(CommunityStaff(3).Scope, Scope.Grid("g1")));
    }

    [Fact]
    public async Task A_reshaped_grid_locates_reports_inside_its_new_polygon_and_an_empty_polygon_removes_it()
    {
        Assert.Equal("g1", (await ReportAtAsync(InG1)).Incident.Location.GridId);
        GeoPoint[] away = [new(121.0, 31.0), new(121.01, 31.0), new(121.01, 31.01), new(121.0, 31.01)];
        Assert.Equal(4, (await Store.EditPlaceAsync(PlaceLevel.Grid, "g1", new PlaceEdit(Polygon: away)))?.Polygon?.Count);
        Assert.Equal("g1", (await ReportAtAsync(new GeoPoint(121.005, 31.005))).Incident.Location.GridId);
        Assert.Contains("in no grid", (await Assert.ThrowsAsync<IncidentException>(() => ReportAtAsync(InG1))).Message);
        Assert.Null((await Store.EditPlaceAsync(PlaceLevel.Grid, "g1", new PlaceEdit(Polygon: [])))?.Polygon);
        Assert.Null((await Store.GetDistrictMapAsync(Scope.Grid("g1"))).Grids.Single().Polygon);
        await Assert.ThrowsAsync<IncidentException>(() => ReportAtAsync(new GeoPoint(121.005, 31.005)));
    }

    [Fact]
    public async Task A_community_moved_to_another_street_moves_the_street_of_every_device_in_it()
    {
        await Store.AddStreetAsync(new Street("st2", "新街道"));
        Assert.Equal(141, (await Store.EditPlaceAsync(PlaceLevel.Community, "c2", new PlaceEdit(ParentId: "st2")))?.DevicesMoved);
        var moved = await Store.ListDevicesAsync(Scope.Street("st2"), limit: 5000);
        Assert.Equal(141, moved.Count);
        Assert.All(moved, d => Assert.Equal("c2", d.CommunityId));
        Assert.Equal(["c1", "c3"], (await Store.GetDistrictMapAsync(StreetStaff.Scope)).Communities.Select(c => c.Id));
    }

    [Fact]
    public async Task Unknown_parents_parents_of_the_wrong_level_and_fields_a_level_does_not_have_are_refused_and_change_nothing()
    {
        async Task<string> Refused(PlaceLevel level, string id, PlaceEdit edit) =>
            (await Assert.ThrowsAsync<IncidentException>(() => Store.EditPlaceAsync(level, id, edit))) is { Error: IncidentError.Invalid } e ? e.Message : "not Invalid";
        Assert.Equal("Unknown grid 'g99'. / 没有编号为 g99 的网格。", await Refused(PlaceLevel.Building, "g1-b1", new PlaceEdit(ParentId: "g99")));
        Assert.Equal("'c2' is a community; a building can only be moved under a grid. / c2 是社区，楼栋只能归属网格。",
            await Refused(PlaceLevel.Building, "g1-b1", new PlaceEdit(Name: "新名", ParentId: "c2")));
        Assert.Contains("a grid can only be moved under a community", await Refused(PlaceLevel.Grid, "g1", new PlaceEdit(ParentId: "st1")));
        Assert.Contains("街道没有上级地点", await Refused(PlaceLevel.Street, "st1", new PlaceEdit(ParentId: "st1")));
        Assert.Contains("Only a building has floors", await Refused(PlaceLevel.Grid, "g1", new PlaceEdit(Floors: 3)));
        Assert.Contains("Only a grid has a polygon", await Refused(PlaceLevel.Building, "g1-b1", new PlaceEdit(Polygon: [new(1, 1), new(2, 2), new(3, 1)])));
        Assert.Contains("at least 3 points", await Refused(PlaceLevel.Grid, "g1", new PlaceEdit(Polygon: [new(1, 1), new(2, 2)])));
        Assert.Contains("floors must be 1–200", await Refused(PlaceLevel.Building, "g1-b1", new PlaceEdit(Floors: 0)));
        Assert.Contains("lon must be", await Refused(PlaceLevel.Building, "g1-b1", new PlaceEdit(Lon: 181)));
        Assert.Equal(("1区1栋", "g1"), (await Store.GetDistrictMapAsync(Scope.Grid("g1"))).Buildings.Single(b => b.Id == "g1-b1") is var b ? (b.Name, b.GridId) : default);
        Assert.Equal("g1", (await Store.GetDeviceAsync("cam-g1-b1", Scope.All))?.GridId);
    }

    [Fact]
    public async Task A_device_is_moved_to_a_building_both_within_the_caller_s_scope()
    {
        var changed = new List<Device>();
        Store.DeviceChanged += changed.Add;
        Assert.Null(await Store.MoveDeviceAsync("mh-g1-1", "g1-b2", Worker(4).Scope)); // not theirs
        var refused = await Assert.ThrowsAsync<IncidentException>(() => Store.MoveDeviceAsync("mh-g1-1", "g4-b1", CommunityStaff(1).Scope));
        Assert.Equal(IncidentError.Forbidden, refused.Error);
        Assert.Contains("不在您的辖区内", refused.Message);
        Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(() => Store.MoveDeviceAsync("mh-g1-1", "nowhere", Scope.All))).Error);
        Assert.Empty(changed);

        var before = await Store.GetDeviceAsync("mh-g1-1", Scope.All);
        var moved = await Store.MoveDeviceAsync("mh-g1-1", "g4-b1", StreetStaff.Scope);
        Assert.Equal(("g4-b1", "g4", "c2", "st1", before!.Location), (moved?.BuildingId, moved?.GridId, moved?.CommunityId, moved?.StreetId, moved?.Location));
        Assert.Equal(moved, await Store.GetDeviceAsync("mh-g1-1", Worker(4).Scope));
        var placed = await Store.MoveDeviceAsync("mh-g1-1", "g4-b1", Scope.All, new GeoPoint(120.1631, 30.2505));
        Assert.Equal(new GeoPoint(120.1631, 30.2505), (await Store.GetDeviceAsync("mh-g1-1", Scope.All))?.Location);
        Assert.Equal(new[] { moved!, placed! }, changed);
    }
}

public sealed class SqlitePlaceEditTests() : PlaceEditTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresPlaceEditTests(PostgresFixture postgres) : PlaceEditTests(new PostgresProvider(postgres));

/// <summary>A place moved or reshaped by one host of several on one PostgreSQL database.</summary>
[Collection("postgres")]
public sealed class PostgresPlaceEditsAcrossHostsTests(PostgresFixture postgres) : StoreTestBase(new PostgresProvider(postgres))
{
    [Fact]
    public async Task Another_host_hears_of_every_device_under_a_moved_grid_and_locates_reports_in_its_new_shape()
    {
        await using var host = await ListeningSiblingAsync();
        var (other, heard, ct) = (host.Store, host.Devices, host.Timeout.Token);
        var report = new ManualReport("路面塌陷", null, null, new GeoPoint(121.005, 31.005), null, null);
        await Assert.ThrowsAsync<IncidentException>(() => other.ReportManualAsync(report, Operator)); // its locator is now cached

        await Store.EditPlaceAsync(PlaceLevel.Grid, "g1", new PlaceEdit(ParentId: "c3",
            Polygon: [new(121.0, 31.0), new(121.01, 31.0), new(121.01, 31.01), new(121.0, 31.01)]));
        var devices = new List<Device>();
        while (devices.Count < 47) devices.Add(await heard.Reader.ReadAsync(ct));
        Assert.All(devices, d => Assert.Equal(("g1", "c3"), (d.GridId, d.CommunityId)));
        Assert.Equal(47, devices.Select(d => d.Id).Distinct().Count());
        Assert.Equal(("g1", "c3"), (await other.ReportManualAsync(report, Operator)) is var located ? (located.Incident.Location.GridId, located.Incident.Location.CommunityId) : default);

        await Store.MoveDeviceAsync("cam-g1-b1", "g4-b1", Scope.All);
        Assert.Equal(("cam-g1-b1", "g4-b1", "c2"), await heard.Reader.ReadAsync(ct) is var d1 ? (d1.Id, d1.BuildingId, d1.CommunityId) : default);
    }

    [Fact]
    public async Task A_device_registered_while_another_host_moves_its_grid_lands_in_the_grid_s_new_community()
    {
        // "Another host" is half-way through moving grid g4 from c2 to c3 (what EditPlaceAsync writes), uncommitted.
        await using var other = new Npgsql.NpgsqlConnection(Store.Options.ConnectionString);
        await other.OpenAsync();
        await using var tx = await other.BeginTransactionAsync();
        await using (var move = new Npgsql.NpgsqlCommand(
            "UPDATE grids SET community_id = 'c3' WHERE id = 'g4'; UPDATE devices SET community_id = 'c3' WHERE grid_id = 'g4'", other, tx))
            await move.ExecuteNonQueryAsync();

        var registering = Store.RegisterDeviceAsync("chg-race-1", DeviceKind.Charger, "g4-b2");
        await using var probe = new Npgsql.NpgsqlConnection(Store.Options.ConnectionString);
        await probe.OpenAsync();
        await Eventually.UntilAsync(async () => registering.IsCompleted || await WaitersAsync(probe) > 0, TimeSpan.FromSeconds(20),
            "the registration finished or waits for the move");
        await tx.CommitAsync();

        Assert.Equal(("g4", "c3"), (await registering) is var device ? (device.GridId, device.CommunityId) : default);
        Assert.Equal("c3", (await Store.GetDeviceAsync("chg-race-1", Scope.All))?.CommunityId);
    }

    private static async Task<long> WaitersAsync(Npgsql.NpgsqlConnection probe)
    {
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", probe);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
