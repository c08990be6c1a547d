using Microsoft.Playwright;
using Smart.Core.Incidents;

namespace Smart.Host.Tests.Dashboards;

/// <summary>The grid worker's phone page in a real browser against the real host.</summary>
[Collection(HostCollection.Name)]
public sealed class GridWorkerPageTests(HostFixture host, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_worker_accepts_on_the_page_and_is_told_when_community_staff_redispatch_it_to_a_colleague()
    {
        // A smoke alarm in grid g4 (community c2), dispatched to the least-loaded g4 worker on duty.
        var store = host.Service<Smart.Incidents.IncidentStore>();
        var raised = await store.RaiseAsync(new AlertInput("fire-g4-b3-2", IncidentTypes.FireSmoke, null, "smoke_pct_per_m", 0.2, "smoke over the limit", DateTimeOffset.UtcNow));
        var id = raised.Incident.Id;
        var holder = raised.Incident.AssigneeId!;
        var colleague = holder == "p-g4-w1" ? "p-g4-w2" : "p-g4-w1";
        var username = (await store.FindPersonAsync(holder))!.Username;

        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 375, Height = 812 }, Locale = "zh-CN" });
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await page.GotoAsync(new Uri(host.BaseAddress, $"/worker/#incident-{id}").ToString());
        await page.GetByTestId("login-username").FillAsync(username);
        await page.GetByTestId("login-password").FillAsync(username + "123");
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("connection-state")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("btn-accept")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("btn-accept").ClickAsync();
        await Assertions.Expect(page.GetByTestId("worker-state")).ToHaveTextAsync("已接单", new() { Timeout = 20_000 });

        var staff = await Api.ApiClient.LoginAsync(host, "community2");
        var (status, moved) = await staff.PostAsync($"/api/incidents/{id}/dispatch", new { assigneeId = colleague, note = (string?)null });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, status); // accepted: a reason is required
        Assert.Contains("reason", moved.GetProperty("detail").GetString());
        (status, moved) = await staff.PostAsync($"/api/incidents/{id}/dispatch", new { assigneeId = colleague, note = "原处理人另有急事 / called away" });
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var colleagueName = moved.GetProperty("assigneeName").GetString();

        await Assertions.Expect(page.GetByTestId("new-alert")).ToHaveTextAsync($"事件 #{id} 已改派给 {colleagueName}", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("handled-by")).ToHaveTextAsync($"由 {colleagueName} 处置，无需您操作");
        await Assertions.Expect(page.GetByTestId("worker-state")).ToHaveTextAsync("已派单");
        foreach (var button in new[] { "btn-accept", "btn-arrive", "btn-resolve" })
            await Assertions.Expect(page.GetByTestId(button)).ToBeDisabledAsync();
        Assert.Empty(errors);
    }
}
