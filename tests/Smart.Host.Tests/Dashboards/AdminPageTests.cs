using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Smart.Host.Tests.Api;

namespace Smart.Host.Tests.Dashboards;

/// <summary>
/// The administration page in a real browser against the real host: community staff put a grid worker picked from
/// their scoped people list on duty, and the API returns that roster; an administrator then deactivates the worker on
/// the page, which takes them off the roster and stops their sign-in.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class AdminPageTests(HostFixture host, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Community_staff_put_a_listed_worker_on_duty_and_an_admin_deactivates_them_through_the_page()
    {
        // A grid and worker of this test's own (in c3, community3's), so no other test's routing depends on the roster it changes.
        var admin = await ApiClient.LoginAsync(host, "admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/hierarchy/grids", new { id = "g-ui", parentId = "c3", name = "香樟第4网格" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/people",
            new { id = "p-ui-w", username = "uiworker", name = "网格员 孙丽", role = "grid_worker", scopeId = "g-ui", password = "long-enough-1" })).Status);

        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 }, Locale = "zh-CN" });
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };
        await page.GotoAsync(new Uri(host.BaseAddress, "/admin/#rosters").ToString());
        await SignInAsync(page, "community3", "community3123");

        await Assertions.Expect(page.GetByTestId("roster-grid").Locator("option[value=g-ui]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.GetByTestId("roster-grid").SelectOptionAsync("g-ui");
        await Assertions.Expect(page.GetByTestId("roster-table").Locator(".roster-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("person-row").Filter(new() { HasText = "uiworker" })).ToHaveCountAsync(1); // the scoped list has loaded
        await page.GetByTestId("roster-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-person")).ToHaveValueAsync("p-ui-w"); // the grid's only worker is offered
        await Assertions.Expect(page.GetByTestId("roster-person").Locator("option")).ToHaveTextAsync(["网格员 孙丽 (p-ui-w)"]);
        await page.GetByTestId("roster-start").FillAsync("08:00");
        await page.GetByTestId("roster-end").FillAsync("20:00");
        await page.GetByTestId("roster-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-status")).ToHaveTextAsync("值班表已保存", new() { Timeout = 10_000 });
        Assert.Equal([("p-ui-w", "08:00", "20:00")], await RosterAsync(admin));

        await page.Locator("[data-role=logout]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-submit")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await SignInAsync(page, "admin", "admin123");
        await page.GetByTestId("tab-people").ClickAsync();
        var row = page.GetByTestId("person-row").Filter(new() { HasText = "uiworker" });
        await row.GetByTestId("person-deactivate").ClickAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("people-status")).ToHaveTextAsync("已停用 uiworker：不能再登录，已移出值班表", new() { Timeout = 10_000 });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-active", "false");
        Assert.Empty(await RosterAsync(admin));
        using (var signIn = await host.Http.PostAsJsonAsync("/api/auth/token", new { username = "uiworker", password = "long-enough-1" }))
            Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);

        await row.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "admin-live.png") });
        Assert.Empty(errors);
    }

    private static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GetByTestId("login-username").FillAsync(username);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
    }

    private static async Task<List<(string?, string?, string?)>> RosterAsync(ApiClient admin) =>
        (await admin.GetAsync("/api/hierarchy/grids/g-ui/roster")).Body.EnumerateArray()
            .Select(s => (s.GetProperty("personId").GetString(), s.GetProperty("start").GetString(), s.GetProperty("end").GetString())).ToList();
}
