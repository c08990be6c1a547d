using System.Net;
using System.Text.Json;
using Smart.Core.Incidents;
using Smart.Incidents;

namespace Smart.Host.Tests.Api;

[Collection(HostCollection.Name)]
public sealed class IncidentsApiTests(HostFixture host)
{
    private IncidentStore Store => host.Service<IncidentStore>();

    private async Task<long> RaiseAsync(string deviceId, string type = IncidentTypes.ChargerOverheat) =>
        (await Store.RaiseAsync(new AlertInput(deviceId, type, null, "temp_c", 75, "port over 70 °C", DateTimeOffset.UtcNow))).Incident.Id;

    [Fact]
    public async Task The_list_says_which_outbox_seq_it_is_current_to_so_a_screen_resumes_after_it()
    {
        var op = await ApiClient.LoginAsync(host, "operator");
        var raised = await Store.RaiseAsync(new AlertInput("chg-g3-b1-1", IncidentTypes.ChargerOverheat, null, "temp_c", 75, "port over 70 °C", DateTimeOffset.UtcNow));
        var page = (await op.GetAsync("/api/incidents?state=open&limit=500")).Body;
        Assert.True(page.GetProperty("lastSeq").GetInt64() >= raised.Seq, "the page is read after the raise, so its watermark covers it");
        Assert.Contains(raised.Incident.Id, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var later = await Store.RaiseAsync(new AlertInput("chg-g3-b1-2", IncidentTypes.ChargerOverheat, null, "temp_c", 75, "port over 70 °C", DateTimeOffset.UtcNow));
        Assert.True((await op.GetAsync("/api/incidents?state=open&limit=1")).Body.GetProperty("lastSeq").GetInt64() >= later.Seq);
    }

    [Fact]
    public async Task A_grid_worker_gets_404_for_another_grids_incident_on_every_endpoint()
    {
        var other = await RaiseAsync("chg-g2-b2-1");
        var own = await RaiseAsync("chg-g1-b2-1");
        var worker = await ApiClient.LoginAsync(host, "worker1a");
        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync($"/api/incidents/{own}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync($"/api/incidents/{other}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync($"/api/incidents/{other}/history")).Status);
        foreach (var action in new[] { "dispatch", "accept", "arrive", "resolve", "close", "reopen", "cancel" })
            Assert.Equal(HttpStatusCode.NotFound, (await worker.PostAsync($"/api/incidents/{other}/transitions", new { action, note = "x" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.PostAsync($"/api/incidents/{other}/feedback", new { satisfaction = 5 })).Status);
        var list = (await worker.GetAsync("/api/incidents?limit=500")).Body;
        var ids = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(own, ids);
        Assert.DoesNotContain(other, ids);
        Assert.All(list.GetProperty("items").EnumerateArray(), i => Assert.Equal("g1", i.GetProperty("gridId").GetString()));
        Assert.Equal(0, (await worker.GetAsync("/api/incidents?gridId=g2")).Body.GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync("/api/devices/chg-g2-b2-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync("/api/devices/chg-g1-b2-1")).Status);
        Assert.All((await worker.GetAsync("/api/devices")).Body.GetProperty("items").EnumerateArray(), d => Assert.Equal("g1", d.GetProperty("gridId").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync("/api/kpis?grid=g2")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync("/api/kpis?community=c1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync("/api/kpis?grid=g1")).Status);
        Assert.Equal(["grid:g1"], (await worker.GetAsync("/api/kpis/breakdown")).Body.EnumerateArray().Select(k => k.GetProperty("scope").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsync("/api/incidents", new { text = "堆物", gridId = "g2" })).Status);
        var community2 = await ApiClient.LoginAsync(host, "community2");
        Assert.Equal(HttpStatusCode.NotFound, (await community2.GetAsync($"/api/incidents/{own}")).Status);
        var community1 = await ApiClient.LoginAsync(host, "community1");
        Assert.Equal(HttpStatusCode.OK, (await community1.GetAsync($"/api/incidents/{other}")).Status);
        Assert.Equal(["grid:g1", "grid:g2", "grid:g3"], (await community1.GetAsync("/api/kpis/breakdown?by=grid")).Body.EnumerateArray().Select(k => k.GetProperty("scope").GetString()));
    }

    [Fact]
    public async Task Without_a_token_every_endpoint_is_401()
    {
        var anonymous = ApiClient.Anonymous(host);
        foreach (var path in new[] { "/api/incidents", "/api/incidents/1", "/api/incidents/1/history", "/api/devices", "/api/devices/x", "/api/kpis" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/incidents", new { text = "x", gridId = "g1" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/incidents/1/transitions", new { action = "accept" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/incidents/1/feedback", new { satisfaction = 5 })).Status);
        var (_, body) = await anonymous.GetAsync("/api/incidents");
        Assert.Contains("POST /api/auth/token", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_manual_report_runs_the_closed_loop_over_rest()
    {
        var op = await ApiClient.LoginAsync(host, "operator");
        var (status, created) = await op.PostAsync("/api/incidents", new { text = "消防通道被占用 fire lane blocked", buildingId = "g8-b3", photoRef = "p-77" });
        Assert.Equal(HttpStatusCode.Created, status);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(("dispatched", "g8", "manual.report"), (created.GetProperty("state").GetString(), created.GetProperty("gridId").GetString(), created.GetProperty("type").GetString()));
        var assignee = created.GetProperty("assigneeId").GetString()!; // p-g8-w1 or p-g8-w2
        var worker = await ApiClient.LoginAsync(host, assignee == "p-g8-w1" ? "worker8a" : "worker8b");
        var community = await ApiClient.LoginAsync(host, "community3");
        Assert.Equal(HttpStatusCode.Forbidden, (await community.PostAsync($"/api/incidents/{id}/transitions", new { action = "accept" })).Status);
        foreach (var action in new[] { "accept", "arrive", "resolve" })
        {
            var (s, body) = await worker.PostAsync($"/api/incidents/{id}/transitions", new { action, note = "处理中" });
            Assert.Equal(HttpStatusCode.OK, s);
            Assert.Equal(IncidentWorkflow.Target(IncidentNames.ParseState(action switch { "accept" => "dispatched", "arrive" => "accepted", _ => "on_site" }), IncidentNames.ParseAction(action))!.Value.Name(),
                body.GetProperty("state").GetString());
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsync($"/api/incidents/{id}/transitions", new { action = "close" })).Status);
        Assert.Equal("closed", (await community.PostAsync($"/api/incidents/{id}/transitions", new { action = "close", note = "核查通过" })).Body.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await community.PostAsync($"/api/incidents/{id}/transitions", new { action = "close" })).Status);
        Assert.Equal(5, (await op.PostAsync($"/api/incidents/{id}/feedback", new { satisfaction = 5, comment = "满意" })).Body.GetProperty("satisfaction").GetInt32());
        var history = (await worker.GetAsync($"/api/incidents/{id}/history")).Body.EnumerateArray().Select(h => h.GetProperty("change").GetString()).ToList();
        Assert.Equal(["created", "dispatched", "accepted", "on_site", "resolved", "closed", "feedback"], history);
        var kpis = (await community.GetAsync("/api/kpis?grid=g8")).Body;
        Assert.True(kpis.GetProperty("closed").GetInt32() >= 1);
        Assert.Equal("grid:g8", kpis.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Bad_requests_are_problem_details_that_say_what_to_fix()
    {
        var id = await RaiseAsync("chg-g9-b1-2");
        var op = await ApiClient.LoginAsync(host, "operator");
        var (status, body) = await op.PostAsync($"/api/incidents/{id}/transitions", new { action = "teleport" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("accept", body.GetProperty("detail").GetString());
        (status, body) = await op.PostAsync($"/api/incidents/{id}/transitions", new { action = "cancel" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("reason", body.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/incidents?state=sleeping")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/incidents?severity=P9")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/kpis?grid=g1&community=c1")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsync("/api/incidents", new { text = "", gridId = "g1" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsync("/api/incidents", new { text = "nowhere", lon = 0.0, lat = 0.0 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/incidents/987654321")).Status);
        Assert.Equal("cancelled", (await op.PostAsync($"/api/incidents/{id}/transitions", new { action = "cancel", note = "误报 false alarm" })).Body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Filters_reach_the_store_and_the_openapi_document_lists_the_endpoints()
    {
        var id = await RaiseAsync("cam-g6-b4", IncidentTypes.CameraBlocked);
        var street = await ApiClient.LoginAsync(host, "street");
        var page = (await street.GetAsync("/api/incidents?type=camera.blocked&gridId=g6&open=true&severity=P3&level=grid")).Body;
        Assert.Contains(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == id);
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal("camera.blocked", i.GetProperty("type").GetString()));
        Assert.Equal(0, (await street.GetAsync("/api/incidents?type=camera.blocked&gridId=g6&state=closed")).Body.GetProperty("total").GetInt64());
        using var doc = await host.Http.GetAsync("/openapi/v1.json");
        var text = await doc.Content.ReadAsStringAsync();
        foreach (var path in new[] { "/api/incidents", "/api/incidents/{id}/transitions", "/api/incidents/{id}/feedback", "/api/devices", "/api/kpis", "/api/auth/token" })
            Assert.Contains($"\"{path}\"", text);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(text).RootElement.GetProperty("paths").ValueKind);
    }
}
