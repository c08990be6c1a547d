using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Smart.Host.Bridge;
using Smart.Mqtt;
using Smart.Host.Tests.Infrastructure;
using Smart.Testing;

namespace Smart.Host.Tests.Dashboards;

/// <summary>
/// The administration page's 设备 tab in a real browser against a host with its own (embedded) mosquitto, which admits
/// only the registry's logins: an operator registers a detector on the page, and the login the page shows once lets a
/// real MQTT client publish a reading that the bridge takes (the device turns online with that reading's time, on the
/// page too); the same login with a wrong password is refused.
/// </summary>
public sealed class DevicesPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly EmbeddedHost _host = new();

    public Task InitializeAsync() => _host.StartAsync();

    [Fact]
    public async Task An_operator_registers_a_device_on_the_page_and_its_login_publishes_a_reading_the_bridge_takes()
    {
        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 }, Locale = "zh-CN" });
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };
        await page.GotoAsync(new Uri(_host.Http.BaseAddress!, "/admin/#devices").ToString());
        await page.GetByTestId("login-username").FillAsync("operator");
        await page.GetByTestId("login-password").FillAsync("operator123");
        await page.GetByTestId("login-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("device-building").Locator("option[value=g3-b2]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("device-building").Locator("option[value=g3-b2]")).ToHaveTextAsync("梧桐社区 · 梧桐第3网格 · 3区2栋 (g3-b2)");
        await page.GetByTestId("device-id").FillAsync("fire-ui-1");
        await page.GetByTestId("device-kind").SelectOptionAsync("fire");
        await page.GetByTestId("device-building").SelectOptionAsync("g3-b2");
        await page.GetByTestId("device-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("device-form-status")).ToHaveTextAsync("已登记 fire-ui-1", new() { Timeout = 10_000 });
        var credentials = page.GetByTestId("device-credentials");
        await Assertions.Expect(credentials).ToBeVisibleAsync();
        await Assertions.Expect(credentials).ToContainTextAsync("密码只显示这一次");
        var username = await credentials.Locator("[data-role=cred-username]").TextContentAsync();
        var password = await credentials.Locator("[data-role=cred-password]").TextContentAsync();
        var telemetry = await credentials.Locator("[data-role=cred-telemetryTopic]").TextContentAsync();
        Assert.Equal(("fire-ui-1", "smart/v1/fire/fire-ui-1/telemetry"), (username, telemetry));
        await page.EvaluateAsync("window.scrollTo(0, 0)"); // the sticky header stays at the top of the whole-page picture
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "devices-live.png"), FullPage = true });

        // The broker admits the login as shown (the registration answered once it did), and not with another password.
        await using var connected = _host.DeviceClient(username!, password!);
        await connected.ConnectAsync();
        await using (var impostor = _host.DeviceClient(username!, password + "x"))
            await Assert.ThrowsAsync<MqttConnectException>(() => impostor.ConnectAsync());
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await connected.PublishAsync(telemetry!, Encoding.UTF8.GetBytes($$"""{"ts":{{ts}},"smoke_pct_per_m":0.01,"temp_c":21,"co_ppm":0}"""), MqttQos.AtLeastOnce);

        _host.Http.DefaultRequestHeaders.Authorization = new("Bearer", await TokenAsync("admin"));
        await Eventually.UntilAsync(async () =>
        {
            var dto = await _host.Http.GetFromJsonAsync<JsonElement>("/api/devices/fire-ui-1");
            return dto.GetProperty("online").GetBoolean() && dto.GetProperty("lastSeenAt").GetDateTimeOffset().ToUnixTimeMilliseconds() == ts;
        }, TimeSpan.FromSeconds(20), "the bridge to take fire-ui-1's reading");

        // The page's list (read again on a filter) shows the device online in its grid.
        await page.GetByTestId("device-filter-grid").SelectOptionAsync("g3");
        await page.GetByTestId("device-filter-kind").SelectOptionAsync("fire");
        var row = page.Locator("[data-testid=device-row][data-id=fire-ui-1]");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "online", new() { Timeout = 10_000 });
        await Assertions.Expect(row.Locator("[data-role=device-place]")).ToHaveTextAsync("梧桐社区 · 梧桐第3网格 · 3区2栋 (g3-b2)");
        Assert.Empty(errors);
    }

    private async Task<string> TokenAsync(string username)
    {
        using var login = await _host.Http.PostAsJsonAsync("/api/auth/token", new { username, password = username + "123" });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
