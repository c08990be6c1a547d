extern alias sim;
using Microsoft.Playwright;
using sim::FirmwareSim;
using sim::FirmwareSim.Registry;

namespace Smart.Host.Tests.Dashboards;

/// <summary>The screens in a real browser against the real host: a simulated fire shows up on the ops-centre page.</summary>
[Collection(HostCollection.Name)]
public sealed class OpsCentrePageTests(HostFixture host, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Operator_logs_in_and_sees_a_simulated_fire_arrive_in_the_live_feed()
    {
            var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 }, Locale = "zh-CN" });
            var errors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
            page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };
            await page.GotoAsync(host.BaseAddress.ToString());
            await page.GetByTestId("login-username").FillAsync("operator");
            await page.GetByTestId("login-password").FillAsync("operator123");
            await page.GetByTestId("login-submit").ClickAsync();
            await Assertions.Expect(page.GetByTestId("connection-state")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });

            var building = DeviceRegistry.Demo().Where(d => d.Device.BuildingId == "g5-b2").ToList();
            var burning = building.Where(d => d.Kind == Smart.Core.DeviceKind.Fire).Take(2).Select(d => d.Id).ToList();
            await using var simulator = new Simulator(new SimulatorOptions
            {
                BrokerUrl = host.Broker.Url, Devices = building, Speed = 10, IntervalScale = 0.1, Seed = 7, Start = DateTimeOffset.UtcNow.AddMinutes(-10),
            });
            await simulator.StartAsync();
            simulator.Inject("fire-building", TimeSpan.FromSeconds(10), burning);

            var row = page.GetByTestId("incident-feed").GetByTestId("incident-row").Filter(new() { HasText = "5区2栋" }).First;
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 60_000 });
            Assert.Contains(await row.GetAttributeAsync("data-severity"), new[] { "P1", "P2" });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "ops-centre-live.png") });

            // The operator re-dispatches (改派) it to the grid's second worker from the incident's dialog.
            var id = long.Parse((await row.GetAttributeAsync("data-incident-id"))!, System.Globalization.CultureInfo.InvariantCulture);
            // By id: a second incident of the building (the confirmed fire) may arrive and head the feed meanwhile.
            await page.Locator($"[data-testid='incident-row'][data-incident-id='{id}']").ClickAsync();
            var assignee = page.GetByTestId("dispatch-assignee");
            await Assertions.Expect(assignee.Locator("option[value='p-g5-w2']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            await assignee.SelectOptionAsync("p-g5-w2");
            await page.GetByTestId("action-dispatch").ClickAsync();
            await Assertions.Expect(page.GetByTestId("action-status")).ToHaveAttributeAsync("data-status", "ok", new() { Timeout = 20_000 });
            await Assertions.Expect(page.GetByTestId("action-status")).ToContainTextAsync($"事件 #{id} 已派给");
            var (_, incident) = await (await Api.ApiClient.LoginAsync(host, "operator")).GetAsync($"/api/incidents/{id}");
            Assert.Equal("p-g5-w2", incident.GetProperty("assigneeId").GetString());
            Assert.Empty(errors);
    }

    [Fact]
    public async Task Community_staff_verify_and_close_a_resolved_incident_from_its_dialog()
    {
        // A smoke alarm in grid g2 (community c1), worked to "resolved" by the grid worker over the API.
        var store = host.Service<Smart.Incidents.IncidentStore>();
        var raised = await store.RaiseAsync(new Smart.Core.Incidents.AlertInput(
            "fire-g2-b4-5", Smart.Core.Incidents.IncidentTypes.FireSmoke, null, "smoke_pct_per_m", 0.2, "smoke over the limit", DateTimeOffset.UtcNow));
        var id = raised.Incident.Id;
        Assert.Equal(Smart.Core.Incidents.IncidentState.Dispatched, raised.Incident.State); // to the least-loaded g2 worker on duty
        var worker = await Api.ApiClient.LoginAsync(host, (await store.FindPersonAsync(raised.Incident.AssigneeId!))!.Username);
        foreach (var action in new[] { "accept", "arrive", "resolve" })
            Assert.Equal(System.Net.HttpStatusCode.OK, (await worker.PostAsync($"/api/incidents/{id}/{action}", new { note = "已清理 / cleared" })).Status);

        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 }, Locale = "zh-CN" });
        await page.GotoAsync(new Uri(host.BaseAddress, $"/#incident-{id}").ToString());
        await page.GetByTestId("login-username").FillAsync("community1");
        await page.GetByTestId("login-password").FillAsync("community1123");
        await page.GetByTestId("login-submit").ClickAsync();
        var actions = page.GetByTestId("incident-actions").Locator(".action");
        await Assertions.Expect(actions).ToHaveCountAsync(3, new() { Timeout = 20_000 }); // the deep link opened its dialog
        Assert.Equal(["close", "reopen", "feedback"], await actions.EvaluateAllAsync<string[]>("els => els.map((e) => e.dataset.action)"));
        // The dialog shows the incident's history from GET /api/incidents/{id}/history (raised … resolved with the note).
        var (_, history) = await worker.GetAsync($"/api/incidents/{id}/history");
        Assert.True(history.GetArrayLength() >= 4, history.ToString());
        await Assertions.Expect(page.GetByTestId("incident-history").Locator("tbody tr")).ToHaveCountAsync(history.GetArrayLength(), new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("incident-history").Locator("tbody tr").Last).ToContainTextAsync("已清理 / cleared");
        await Assertions.Expect(page.GetByTestId("incident-history").Locator("tbody tr").Last).ToContainTextAsync(raised.Incident.AssigneeId == "p-g2-w1" ? "网格员 G2-1" : "网格员 G2-2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "incident-actions-live.png") });
        await page.GetByTestId("action-close").ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-status")).ToHaveTextAsync($"事件 #{id} 已核查结案", new() { Timeout = 20_000 });
        var (_, incident) = await (await Api.ApiClient.LoginAsync(host, "community1")).GetAsync($"/api/incidents/{id}");
        Assert.Equal("closed", incident.GetProperty("state").GetString());
        await Assertions.Expect(actions).ToHaveCountAsync(1); // closed: only the rating is left
        Assert.Equal(["feedback"], await actions.EvaluateAllAsync<string[]>("els => els.map((e) => e.dataset.action)"));
    }
}
