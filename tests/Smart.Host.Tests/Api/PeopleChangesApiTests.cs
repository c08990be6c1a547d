extern alias sim;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using sim::FirmwareSim.Hub;

namespace Smart.Host.Tests.Api;

/// <summary>Staff list the people in their scope; administrators edit, deactivate and reactivate people, never themselves.</summary>
[Collection(HostCollection.Name)]
public sealed class PeopleChangesApiTests(HostFixture host)
{
    private async Task<(HttpStatusCode Status, string? Token)> SignInAsync(string username, string password)
    {
        using var response = await host.Http.PostAsJsonAsync("/api/auth/token", new { username, password });
        if (!response.IsSuccessStatusCode) return (response.StatusCode, null);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
    }

    private static List<JsonElement> People(JsonElement body) => body.EnumerateArray().ToList();
    private static string Detail(JsonElement problem) => problem.GetProperty("detail").GetString() ?? "";

    [Fact]
    public async Task Community_and_street_staff_list_the_people_in_their_scope_grid_workers_are_refused_with_a_reason()
    {
        var (status, body) = await (await ApiClient.LoginAsync(host, "community1")).GetAsync("/api/people");
        Assert.Equal(HttpStatusCode.OK, status);
        var names = People(body).Select(p => p.GetProperty("username").GetString()).ToList();
        Assert.Contains("community1", names);
        Assert.Contains("worker3b", names);
        Assert.DoesNotContain("worker4a", names);
        Assert.DoesNotContain("street", names);
        Assert.DoesNotContain("admin", names);
        Assert.All(People(body), p => Assert.True(p.GetProperty("role").GetString() is "community_staff" or "grid_worker"));
        Assert.All(People(body).Where(p => p.GetProperty("role").GetString() == "community_staff"), p => Assert.Equal("c1", p.GetProperty("scopeId").GetString()));

        var street = People((await (await ApiClient.LoginAsync(host, "street")).GetAsync("/api/people")).Body).Select(p => p.GetProperty("username").GetString()).ToList();
        Assert.Contains("community3", street);
        Assert.Contains("worker9b", street);
        Assert.DoesNotContain("operator", street);
        Assert.Contains("admin", People((await (await ApiClient.LoginAsync(host, "admin")).GetAsync("/api/people")).Body).Select(p => p.GetProperty("username").GetString()));

        var refused = await (await ApiClient.LoginAsync(host, "worker1a")).GetAsync("/api/people");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("grid workers cannot list people", Detail(refused.Body));
    }

    [Fact]
    public async Task An_admin_edits_a_person_whose_old_token_stops_working_and_bad_edits_are_refused_with_what_to_fix()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/people", new { username = "mover", name = "值班员 吴", role = "operator", password = "long-enough-1" })).Status);
        var beforeToken = (await SignInAsync("mover", "long-enough-1")).Token;
        var before = new ApiClient(host.Http, beforeToken);
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/hierarchy")).Status);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var screen = await HubClient.ConnectAsync(new Uri(host.BaseAddress, "/hubs/ops"), beforeToken, timeout.Token);
        Assert.Equal(JsonValueKind.Array, (await screen.InvokeAsync("Resume", [long.MaxValue - 1], timeout.Token)).ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Put, "/api/people/mover", new { name = "值班员 吴二", role = "operator" })).Status);
        Assert.Equal(JsonValueKind.Array, (await screen.InvokeAsync("Resume", [long.MaxValue - 1], timeout.Token)).ValueKind); // a new name only: stays

        var (status, body) = await admin.SendAsync(HttpMethod.Put, "/api/people/mover", new { name = "网格员 吴", role = "grid_worker", scopeId = "g6" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("网格员 吴", "grid_worker", "g6", true), (body.GetProperty("name").GetString(), body.GetProperty("role").GetString(), body.GetProperty("scopeId").GetString(), body.GetProperty("active").GetBoolean()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/hierarchy")).Status); // issued as an operator
        Assert.Contains("role or area changed", (await screen.WaitForAsync("sessionEnded", _ => true, timeout.Token)).Arguments[0].GetString());
        await screen.Invocations.Completion.WaitAsync(timeout.Token); // the operator's screen no longer gets the city's events
        var after = new ApiClient(host.Http, (await SignInAsync("mover", "long-enough-1")).Token);
        Assert.Equal(["g6"], (await after.GetAsync("/api/hierarchy")).Body.GetProperty("grids").EnumerateArray().Select(g => g.GetProperty("id").GetString()));

        async Task Refused(HttpStatusCode expected, ApiClient who, string path, object request, string because)
        {
            var (s, problem) = await who.SendAsync(HttpMethod.Put, path, request);
            Assert.Equal(expected, s);
            Assert.Contains(because, Detail(problem));
        }
        await Refused(HttpStatusCode.BadRequest, admin, "/api/people/mover", new { role = "operator" }, "name and role are required");
        await Refused(HttpStatusCode.BadRequest, admin, "/api/people/mover", new { name = "X", role = "wizard" }, "role must be operator");
        await Refused(HttpStatusCode.BadRequest, admin, "/api/people/mover", new { name = "X", role = "grid_worker", scopeId = "c1" }, "existing grid");
        await Refused(HttpStatusCode.BadRequest, admin, "/api/people/mover", new { name = "X", role = "operator", scopeId = "g1" }, "leave scopeId empty");
        await Refused(HttpStatusCode.NotFound, admin, "/api/people/nobody", new { name = "X", role = "operator" }, "No person with login name 'nobody'");
        await Refused(HttpStatusCode.Forbidden, await ApiClient.LoginAsync(host, "community1"), "/api/people/mover", new { name = "X", role = "operator" }, "only administrators edit people");
        await Refused(HttpStatusCode.Forbidden, admin, "/api/people/admin", new { name = "管理员", role = "operator" }, "You cannot change your own role");
        Assert.Equal("grid_worker", People((await admin.GetAsync("/api/people")).Body).Single(p => p.GetProperty("username").GetString() == "mover").GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_deactivated_worker_leaves_the_roster_cannot_sign_in_their_token_stops_and_they_can_be_reactivated()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/grids", new { id = "g-leave", parentId = "c3", name = "香樟第5网格" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/people", new { id = "p-leaver", username = "leaver", name = "网格员 郑", role = "grid_worker", scopeId = "g-leave", password = "long-enough-1" })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g-leave/roster",
            new { shifts = new[] { new { personId = "p-leaver", start = "08:00", end = "20:00" } } })).Status);
        var token = (await SignInAsync("leaver", "long-enough-1")).Token;
        var leaver = new ApiClient(host.Http, token);
        Assert.Equal(HttpStatusCode.OK, (await leaver.GetAsync("/api/incidents")).Status);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var hub = await HubClient.ConnectAsync(new Uri(host.BaseAddress, "/hubs/ops"), token, timeout.Token);
        Assert.Equal(JsonValueKind.Array, (await hub.InvokeAsync("Resume", [long.MaxValue - 1], timeout.Token)).ValueKind);

        var refused = await (await ApiClient.LoginAsync(host, "community3")).SendAsync(HttpMethod.Delete, "/api/people/leaver", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("only administrators deactivate", Detail(refused.Body));

        var (status, body) = await admin.SendAsync(HttpMethod.Delete, "/api/people/leaver", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("person").GetProperty("active").GetBoolean());
        Assert.Equal(0, body.GetProperty("incidentsInHand").GetInt64());
        Assert.Equal(0, body.GetProperty("redispatched").GetInt32()); // nothing was dispatched to them (the store tests cover re-dispatch)
        Assert.Equal(0, (await admin.GetAsync("/api/hierarchy/grids/g-leave/roster")).Body.GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await leaver.GetAsync("/api/incidents")).Status);
        // The connection opened before is told why and closed (it would otherwise keep receiving pushed events).
        var ended = await hub.WaitForAsync("sessionEnded", _ => true, timeout.Token);
        Assert.Contains("deactivated", ended.Arguments[0].GetString());
        await hub.Invocations.Completion.WaitAsync(timeout.Token);
        var reconnect = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => HubClient.ConnectAsync(new Uri(host.BaseAddress, "/hubs/ops"), token, timeout.Token));
        Assert.Contains("401", reconnect.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("leaver", "long-enough-1")).Status);
        Assert.False(People((await admin.GetAsync("/api/people")).Body).Single(p => p.GetProperty("username").GetString() == "leaver").GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Delete, "/api/people/leaver", null)).Status); // twice: no change
        var roster = await admin.SendAsync(HttpMethod.Put, "/api/hierarchy/grids/g-leave/roster", new { shifts = new[] { new { personId = "p-leaver", start = "08:00", end = "20:00" } } });
        Assert.Equal(HttpStatusCode.BadRequest, roster.Status);
        Assert.Contains("is not an active grid worker", Detail(roster.Body));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Delete, "/api/people/nobody", null)).Status);
        var self = await admin.SendAsync(HttpMethod.Delete, "/api/people/admin", null);
        Assert.Equal(HttpStatusCode.Forbidden, self.Status);
        Assert.Contains("You cannot deactivate yourself", Detail(self.Body));

        Assert.True((await admin.PostAsync("/api/people/leaver/reactivate", new { })).Body.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("leaver", "long-enough-1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/people/nobody/reactivate", new { })).Status);
    }

    [Fact]
    public async Task A_deactivated_demo_login_cannot_sign_in_with_the_demo_password()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Delete, "/api/people/community3", null)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("community3", "community3123")).Status);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/people/community3/reactivate", new { })).Status);
        }
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("community3", "community3123")).Status);
    }
}
