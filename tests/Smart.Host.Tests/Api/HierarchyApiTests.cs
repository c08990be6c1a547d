using System.Net;
using Smart.Core.Incidents;
using Smart.Incidents;

namespace Smart.Host.Tests.Api;

/// <summary>The district comes from the store: each login sees what its scope covers, an admin adds places, rosters are kept per grid.</summary>
[Collection(HostCollection.Name)]
public sealed class HierarchyApiTests(HostFixture host)
{
    private static List<string?> Ids(System.Text.Json.JsonElement map, string level) =>
        map.GetProperty(level).EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();

    [Fact]
    public async Task Each_login_sees_the_part_of_the_district_its_scope_covers()
    {
        var worker = (await (await ApiClient.LoginAsync(host, "worker1a")).GetAsync("/api/hierarchy")).Body;
        Assert.Equal(["g1"], Ids(worker, "grids"));
        Assert.All(worker.GetProperty("buildings").EnumerateArray(), b => Assert.Equal("g1", b.GetProperty("gridId").GetString()));
        var community = (await (await ApiClient.LoginAsync(host, "community2")).GetAsync("/api/hierarchy")).Body;
        Assert.Equal(["c2"], Ids(community, "communities"));
        var op = (await (await ApiClient.LoginAsync(host, "operator")).GetAsync("/api/hierarchy")).Body;
        Assert.Contains("g9", Ids(op, "grids"));
        Assert.True(Ids(op, "buildings").Count >= 45);
    }

    [Fact]
    public async Task An_admin_adds_a_street_down_to_a_building_puts_a_worker_on_duty_and_the_new_device_s_incident_reaches_them()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/streets", new { id = "st-new", name = "新华街道" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/communities", new { id = "c-new", parentId = "st-new", name = "新华社区" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/grids", new { id = "g-new", parentId = "c-new", name = "新华一网格" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/buildings", new { id = "b-new-1", parentId = "g-new", name = "1号楼", floors = 6, lon = 121.5, lat = 31.2 })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/people", new { id = "p-new-w", username = "newworker", name = "网格员 周", role = "grid_worker", scopeId = "g-new", password = "long-enough-1", phone = "138 0013 8000" })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g-new/roster",
            new { shifts = new[] { new { personId = "p-new-w", start = "00:00", end = "00:00" } } })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/devices", new { id = "chg-new-1", kind = "charger", buildingId = "b-new-1" })).Status);

        var raised = await host.Service<IncidentStore>().RaiseAsync(new AlertInput("chg-new-1", IncidentTypes.ChargerOverheat, null, "temp_c", 75, "port over 70 °C", DateTimeOffset.UtcNow));
        Assert.Equal("p-new-w", raised.Incident.AssigneeId);
        // The screens show the new person's name (not their id) and phone, and a change from the next read on.
        var shown = (await admin.GetAsync($"/api/incidents/{raised.Incident.Id}")).Body;
        Assert.Equal(("网格员 周", "138 0013 8000"), (shown.GetProperty("assigneeName").GetString(), shown.GetProperty("assigneePhone").GetString()));
        var (status, edited) = await admin.SendAsync(HttpMethod.Put, "/api/people/newworker", new { name = "网格员 周敏", role = "grid_worker", scopeId = "g-new", phone = "+86-21-5555-0101" });
        Assert.Equal((HttpStatusCode.OK, "+86-21-5555-0101"), (status, edited.GetProperty("phone").GetString()));
        shown = (await admin.GetAsync($"/api/incidents/{raised.Incident.Id}")).Body;
        Assert.Equal(("网格员 周敏", "+86-21-5555-0101"), (shown.GetProperty("assigneeName").GetString(), shown.GetProperty("assigneePhone").GetString()));
        var badPhone = await admin.SendAsync(HttpMethod.Put, "/api/people/newworker", new { name = "网格员 周敏", role = "grid_worker", scopeId = "g-new", phone = "call me" });
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.Status);
        Assert.Contains("not a phone number", badPhone.Body.GetProperty("detail").GetString());
        var roster = (await admin.GetAsync("/api/hierarchy/grids/g-new/roster")).Body;
        Assert.Equal("p-new-w", roster[0].GetProperty("personId").GetString());
        Assert.Contains("g-new", Ids((await admin.GetAsync("/api/hierarchy")).Body, "grids"));
    }

    [Fact]
    public async Task Only_admins_add_places_and_rosters_are_set_within_scope_by_community_staff()
    {
        var community1 = await ApiClient.LoginAsync(host, "community1");
        var worker = await ApiClient.LoginAsync(host, "worker1a");
        var refused = await community1.PostAsync("/api/hierarchy/streets", new { id = "st-x", name = "X" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("Only administrators can do this", refused.Body.GetProperty("detail").GetString()); // the policy says why
        var (status, body) = await worker.SendAsync(HttpMethod.Delete, "/api/devices/no-such", null);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Operator, Admin", body.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await (await ApiClient.LoginAsync(host, "admin")).PostAsync("/api/hierarchy/grids", new { id = "g-x", parentId = "no-such", name = "X" })).Status);

        var current = (await community1.GetAsync("/api/hierarchy/grids/g1/roster")).Body.EnumerateArray()
            .Select(s => new { personId = s.GetProperty("personId").GetString(), start = s.GetProperty("start").GetString(), end = s.GetProperty("end").GetString() }).ToArray();
        Assert.NotEmpty(current);
        Assert.Equal(HttpStatusCode.NoContent, (await community1.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g1/roster", new { shifts = current })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await community1.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g1/roster",
            new { shifts = new[] { new { personId = current[0].personId, start = "8 am", end = "20:00" } } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await community1.GetAsync("/api/hierarchy/grids/g9/roster")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await community1.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g9/roster", new { shifts = Array.Empty<object>() })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g1/roster", new { shifts = current })).Status);
        Assert.Equal(current.Length, (await worker.GetAsync("/api/hierarchy/grids/g1/roster")).Body.GetArrayLength());
    }

    [Fact]
    public async Task An_admin_renames_places_and_deletes_only_empty_ones_others_are_refused_with_a_reason()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/grids", new { id = "g-rename", parentId = "c2", name = "旧名" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/buildings", new { id = "b-rename", parentId = "g-rename", name = "1号楼", floors = 6, lon = 120.16, lat = 30.25 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g-rename", new { name = "新名" })).Status);
        var grids = (await admin.GetAsync("/api/hierarchy")).Body.GetProperty("grids").EnumerateArray();
        Assert.Equal("新名", grids.Single(g => g.GetProperty("id").GetString() == "g-rename").GetProperty("name").GetString());

        async Task Refused(HttpStatusCode expected, ApiClient who, HttpMethod method, string path, string because, object? body = null)
        {
            var (status, problem) = await who.SendAsync(method, path, body);
            Assert.Equal(expected, status);
            Assert.Contains(because, problem.GetProperty("detail").GetString());
        }
        var community2 = await ApiClient.LoginAsync(host, "community2");
        await Refused(HttpStatusCode.Forbidden, community2, HttpMethod.Put, "/api/hierarchy/grids/g-rename", "only administrators edit or delete places", new { name = "X" });
        await Refused(HttpStatusCode.Forbidden, community2, HttpMethod.Delete, "/api/hierarchy/buildings/b-rename", "only administrators edit or delete places");
        await Refused(HttpStatusCode.BadRequest, admin, HttpMethod.Put, "/api/hierarchy/grids/g-rename", "name is required", new { name = " " });
        await Refused(HttpStatusCode.NotFound, admin, HttpMethod.Put, "/api/hierarchy/streets/no-such", "No street 'no-such'", new { name = "X" });
        await Refused(HttpStatusCode.Conflict, admin, HttpMethod.Delete, "/api/hierarchy/grids/g-rename", "grid g-rename still has 1 buildings");
        await Refused(HttpStatusCode.Conflict, admin, HttpMethod.Delete, "/api/hierarchy/communities/c1", "仍有");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, "/api/hierarchy/buildings/b-rename", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, "/api/hierarchy/grids/g-rename", null)).Status);
        await Refused(HttpStatusCode.NotFound, admin, HttpMethod.Delete, "/api/hierarchy/grids/g-rename", "No grid 'g-rename'");
    }
}
