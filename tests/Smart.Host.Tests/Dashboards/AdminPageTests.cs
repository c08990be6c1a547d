using System.Net;
using Microsoft.Playwright;
using Smart.Host.Tests.Api;

namespace Smart.Host.Tests.Dashboards;

/// <summary>The administration page in a real browser against the real host: a roster entry added on the page is what the API then returns.</summary>
[Collection(HostCollection.Name)]
public sealed class AdminPageTests(HostFixture host, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Admin_signs_in_puts_a_grid_worker_on_duty_through_the_page_and_the_api_returns_that_roster()
    {
        // A grid and worker of this test's own, so no other test's routing depends on the roster it changes.
        var admin = await ApiClient.LoginAsync(host, "admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/grids", new { id = "g-ui", parentId = "c3", name = "香樟第4网格" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/people",
            new { id = "p-ui-w", username = "uiworker", name = "网格员 孙丽", role = "grid_worker", scopeId = "g-ui", password = "long-enough-1" })).Status);

        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 }, Locale = "zh-CN" });
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };
        await page.GotoAsync(new Uri(host.BaseAddress, "/admin/#rosters").ToString());
        await page.GetByTestId("login-username").FillAsync("admin");
        await page.GetByTestId("login-password").FillAsync("admin123");
        await page.GetByTestId("login-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("roster-grid").Locator("option[value=g-ui]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.GetByTestId("roster-grid").SelectOptionAsync("g-ui");
        await Assertions.Expect(page.GetByTestId("roster-table").Locator(".roster-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#roster-people option[value=p-ui-w]")).ToHaveCountAsync(1); // once the people list has loaded
        await page.GetByTestId("roster-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-person")).ToHaveValueAsync("p-ui-w"); // the grid's only worker is offered
        await page.GetByTestId("roster-start").FillAsync("08:00");
        await page.GetByTestId("roster-end").FillAsync("20:00");
        await page.GetByTestId("roster-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-status")).ToHaveTextAsync("值班表已保存", new() { Timeout = 10_000 });

        var roster = (await admin.GetAsync("/api/hierarchy/grids/g-ui/roster")).Body.EnumerateArray()
            .Select(s => (s.GetProperty("personId").GetString(), s.GetProperty("start").GetString(), s.GetProperty("end").GetString())).ToList();
        Assert.Equal([("p-ui-w", "08:00", "20:00")], roster);

        await page.GetByTestId("tab-people").ClickAsync();
        await Assertions.Expect(page.GetByTestId("person-row").Filter(new() { HasText = "uiworker" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "admin-live.png") });
        Assert.Empty(errors);
    }
}
