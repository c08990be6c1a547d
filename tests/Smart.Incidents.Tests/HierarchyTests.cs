using Smart.Core;
using Smart.Core.Incidents;
using Smart.Testing;

namespace Smart.Incidents.Tests;

public abstract class HierarchyTests(IStoreProvider provider) : StoreTestBase(provider)
{
    [Fact]
    public async Task The_map_holds_what_a_scope_covers()
    {
        var all = await Store.GetDistrictMapAsync(Scope.All);
        Assert.Equal((District.Demo.Streets.Count, District.Demo.Communities.Count, District.Demo.Grids.Count, District.Demo.Buildings.Count),
            (all.Streets.Count, all.Communities.Count, all.Grids.Count, all.Buildings.Count));
        var grid = await Store.GetDistrictMapAsync(Scope.Grid("g4"));
        Assert.Equal(["g4"], grid.Grids.Select(g => g.Id));
        Assert.All(grid.Buildings, b => Assert.Equal("g4", b.GridId));
        Assert.Equal(District.Demo.Buildings.Count(b => b.GridId == "g4"), grid.Buildings.Count);
        Assert.Single(grid.Communities);
        Assert.Single(grid.Streets);
        var community = await Store.GetDistrictMapAsync(Scope.Community("c1"));
        Assert.All(community.Grids, g => Assert.Equal("c1", g.CommunityId));
        Assert.Equal(["c1"], community.Communities.Select(c => c.Id));
        Assert.Empty((await Store.GetDistrictMapAsync(Scope.Grid("nope"))).Grids);
    }

    [Fact]
    public async Task An_empty_district_is_built_street_by_building_and_a_device_and_a_worker_on_duty_fit_in()
    {
        await Store.AddStreetAsync(new Street("st9", "新街道"));
        await Store.AddCommunityAsync(new Community("c9", "st9", "新社区"));
        await Store.AddGridAsync(new Grid("g99", "c9", "新网格", [new(121.0, 31.0), new(121.01, 31.0), new(121.01, 31.01)]));
        await Store.AddBuildingAsync(new Building("b99-1", "g99", "1号楼", 18, new GeoPoint(121.005, 31.002)));
        var map = await Store.GetDistrictMapAsync(Scope.Street("st9"));
        Assert.Equal(["g99"], map.Grids.Select(g => g.Id));
        Assert.Equal(3, map.Grids[0].Polygon?.Count);
        Assert.Equal(18, map.Buildings.Single().Floors);

        await Store.AddPersonAsync(new Person("p-g99-w1", "网格员 孙", Role.GridWorker, "g99", "sun99"), null);
        await Store.SetRosterAsync("g99", [new DutyShift("g99", "p-g99-w1", new TimeOnly(0, 0), new TimeOnly(0, 0))]);
        Assert.Equal("p-g99-w1", (await Store.GetRosterAsync("g99")).Single().PersonId);
        await Store.RegisterDeviceAsync("fire-g99-1", DeviceKind.Fire, "b99-1");
        Assert.Equal("p-g99-w1", (await RaiseAsync("fire-g99-1")).Incident.AssigneeId);
    }

    [Fact]
    public async Task Orphans_taken_ids_bad_shapes_and_strangers_on_the_roster_are_refused()
    {
        async Task Refused(Func<Task> add) => Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(add)).Error);
        Assert.Equal("Unknown street 'no-street'.", (await Assert.ThrowsAsync<IncidentException>(() => Store.AddCommunityAsync(new Community("c9", "no-street", "X")))).Message);
        await Refused(() => Store.AddGridAsync(new Grid("g99", "no-community", "X")));
        await Refused(() => Store.AddBuildingAsync(new Building("b9", "no-grid", "X", 5, new GeoPoint(121, 31))));
        await Refused(() => Store.AddStreetAsync(new Street("st1", "taken")));
        await Refused(() => Store.AddStreetAsync(new Street("bad id", "X")));
        await Refused(() => Store.AddStreetAsync(new Street("st9", " ")));
        await Refused(() => Store.AddGridAsync(new Grid("g98", "c1", "X", [new(121, 31), new(121.1, 31)])));
        await Refused(() => Store.AddBuildingAsync(new Building("b9", "g1", "X", 0, new GeoPoint(121, 31))));
        await Refused(() => Store.AddBuildingAsync(new Building("b9", "g1", "X", 5, new GeoPoint(200, 31))));
        await Refused(() => Store.SetRosterAsync("g1", [new DutyShift("g1", "p-g2-w1", new TimeOnly(0, 0), new TimeOnly(0, 0))]));
        await Refused(() => Store.SetRosterAsync("nope", []));
        Assert.Empty((await Store.GetDistrictMapAsync(Scope.Street("st9"))).Communities);
        Assert.NotEmpty(await Store.GetRosterAsync("g1")); // the refused roster left the old one in place
    }

    [Fact]
    public async Task A_place_is_renamed_and_only_an_empty_one_deleted_with_what_is_left_named()
    {
        Assert.Equal("梧桐北网格", (await Store.EditPlaceAsync(PlaceLevel.Grid, "g1", new PlaceEdit(Name: " 梧桐北网格 ")))?.Name);
        Assert.Equal("梧桐北网格", (await Store.GetDistrictMapAsync(Scope.Grid("g1"))).Grids.Single().Name);
        Assert.Null(await Store.EditPlaceAsync(PlaceLevel.Street, "nope", new PlaceEdit(Name: "X")));
        Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(() => Store.EditPlaceAsync(PlaceLevel.Street, "st1", new PlaceEdit(Name: " ")))).Error);

        var full = await Assert.ThrowsAsync<IncidentException>(() => Store.DeletePlaceAsync(PlaceLevel.Grid, "g1"));
        Assert.Equal(IncidentError.Conflict, full.Error);
        Assert.Contains("grid g1 still has 5 buildings, 47 devices, 2 people;", full.Message);
        Assert.Contains("网格 g1 仍有 5个楼栋、47台设备、2名人员，", full.Message);
        Assert.Contains("delete its buildings first (only empty ones); give its people another area (PUT /api/people/{username}); devices and incidents are kept for the record", full.Message);
        Assert.StartsWith("building g1-b1 still has 9 devices;", (await Assert.ThrowsAsync<IncidentException>(() => Store.DeletePlaceAsync(PlaceLevel.Building, "g1-b1"))).Message);

        await Store.AddGridAsync(new Grid("g-empty", "c1", "空网格"));
        await Store.AddBuildingAsync(new Building("b-empty", "g-empty", "1号楼", 6, new GeoPoint(120.1, 30.2)));
        await Store.AddPersonAsync(new Person("p-ge", "网格员", Role.GridWorker, "g-empty", "gempty"), null);
        Assert.Contains("1 buildings, 1 people", (await Assert.ThrowsAsync<IncidentException>(() => Store.DeletePlaceAsync(PlaceLevel.Grid, "g-empty"))).Message);
        await Store.UpdatePersonAsync("gempty", "网格员", Role.GridWorker, "g1");
        Assert.True(await Store.DeletePlaceAsync(PlaceLevel.Building, "b-empty"));
        Assert.True(await Store.DeletePlaceAsync(PlaceLevel.Grid, "g-empty"));
        Assert.False(await Store.DeletePlaceAsync(PlaceLevel.Grid, "g-empty"));
        Assert.DoesNotContain((await Store.GetDistrictMapAsync(Scope.All)).Grids, g => g.Id == "g-empty");

        await Store.RegisterDeviceAsync("fire-x", DeviceKind.Fire, "g2-b1");
        await RaiseAsync("fire-x");
        Assert.Contains("incidents are kept", (await Assert.ThrowsAsync<IncidentException>(() => Store.DeletePlaceAsync(PlaceLevel.Street, "st1"))).Message);
    }
}

public sealed class SqliteHierarchyTests() : HierarchyTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresHierarchyTests(PostgresFixture postgres) : HierarchyTests(new PostgresProvider(postgres));
