using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Smart.Host.Tests.Api;

/// <summary>People sign in with their own stored passwords; administrators add people and reset passwords.</summary>
[Collection(HostCollection.Name)]
public sealed class PeopleApiTests(HostFixture host)
{
    private async Task<(HttpStatusCode Status, string? Token)> SignInAsync(string username, string password)
    {
        using var response = await host.Http.PostAsJsonAsync("/api/auth/token", new { username, password });
        if (!response.IsSuccessStatusCode) return (response.StatusCode, null);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
    }

    [Fact]
    public async Task An_admin_adds_a_grid_worker_who_signs_in_with_their_own_password_and_sees_only_their_grid()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        var added = await admin.PostAsync("/api/people", new { username = "zhaolei", name = "网格员 赵磊", role = "grid_worker", scopeId = "g5", password = "long-enough-1" });
        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.Equal("g5", added.Body.GetProperty("scopeId").GetString());
        Assert.Contains((await admin.GetAsync("/api/people")).Body.EnumerateArray(), p => p.GetProperty("username").GetString() == "zhaolei");

        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("zhaolei", "long-enough-2")).Status);
        var (status, token) = await SignInAsync("zhaolei", "long-enough-1");
        Assert.Equal(HttpStatusCode.OK, status);
        var worker = new ApiClient(host.Http, token);
        Assert.All((await worker.GetAsync("/api/devices")).Body.GetProperty("items").EnumerateArray(), d => Assert.Equal("g5", d.GetProperty("gridId").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync("/api/people")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsync("/api/people", new { username = "x1", name = "X", role = "admin", password = "long-enough-1" })).Status);
    }

    [Fact]
    public async Task A_person_changes_their_own_password_only_with_the_current_one_and_nobody_elses()
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/people", new { username = "qianfang", name = "值班员 钱芳", role = "operator", password = "first-password" })).Status);
        var op = new ApiClient(host.Http, (await SignInAsync("qianfang", "first-password")).Token);

        Assert.Equal(HttpStatusCode.Forbidden, (await op.SendAsync(HttpMethod.Put, "/api/people/qianfang/password", new { currentPassword = "wrong-password", newPassword = "second-password" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.SendAsync(HttpMethod.Put, "/api/people/qianfang/password", new { currentPassword = "first-password", newPassword = "short" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await op.SendAsync(HttpMethod.Put, "/api/people/worker1a/password", new { currentPassword = "first-password", newPassword = "second-password" })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await op.SendAsync(HttpMethod.Put, "/api/people/qianfang/password", new { currentPassword = "first-password", newPassword = "second-password" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("qianfang", "first-password")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("qianfang", "second-password")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Put, "/api/people/qianfang/password", new { newPassword = "reset-by-admin" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("qianfang", "reset-by-admin")).Status);
    }

    [Theory]
    [InlineData("grid_worker", null)]
    [InlineData("grid_worker", "c1")]
    [InlineData("street_staff", "nope")]
    [InlineData("wizard", null)]
    public async Task A_person_whose_role_and_scope_do_not_fit_is_refused_with_a_reason(string role, string? scopeId)
    {
        var admin = await ApiClient.LoginAsync(host, "admin");
        var (status, body) = await admin.PostAsync("/api/people", new { username = "misfit", name = "X", role, scopeId, password = "long-enough-1" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("misfit", "long-enough-1")).Status);
    }
}

/// <summary>An installation without the demo district: the first start gives the admin login a random password in a file.</summary>
public sealed class FirstStartTests : IAsyncLifetime
{
    private readonly HostFixture _host = new(demo: false);

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task The_initial_admin_password_is_written_to_a_private_file_and_signs_in_and_demo_logins_do_not()
    {
        var path = Path.Combine(_host.DataDirectory, "initial-admin-password");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var password = (await File.ReadAllTextAsync(path)).Trim();
        Assert.True(password.Length >= 20);

        using var demo = await _host.Http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "admin123" });
        Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
        using var response = await _host.Http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Admin", body.GetProperty("role").GetString());
        var admin = new ApiClient(_host.Http, body.GetProperty("accessToken").GetString());
        var people = (await admin.GetAsync("/api/people")).Body;
        Assert.Equal(["admin"], people.EnumerateArray().Select(p => p.GetProperty("username").GetString()));
        Assert.Equal(people[0].GetProperty("id").GetString(), body.GetProperty("personId").GetString()); // the pages tell "mine" by it
    }
}
