using Microsoft.Extensions.Options;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Bridge;
using Smart.Host.Infrastructure;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>
/// Migrations, the demo district (idempotent), a first administrator login outside demo mode, the bridge's device directory,
/// people's names for the incident views, and the broker logins, before the bridge starts.
/// </summary>
internal sealed partial class IncidentStoreStartup(IncidentStore store, DeviceDirectory devices, DemoDistrict district, IOptions<DemoOptions> demo,
    EmbeddedInfrastructureService infrastructure, Endpoints endpoints, IncidentPresenter presenter, ILogger<IncidentStoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.InitializeAsync(ct);
        if (demo.Value.Enabled) await store.LoadDistrictAsync(district, ct);
        else await EnsureAnAdminCanSignInAsync(ct);
        foreach (var device in await store.ListDevicesAsync(Scope.All, limit: int.MaxValue, ct: ct)) devices.Upsert(device);
        presenter.Remember(await store.ListPeopleAsync(Scope.All, ct));
        // The embedded broker started before the registry was read: now every device gets its login.
        infrastructure.ReloadBrokerAccounts();
        LogReady(store.Options.Provider, devices.Count, store.LastSeq);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// A fresh installation has nobody who can sign in: give the <c>admin</c> login a random password, written to a file
    /// only the host's user can read (like Jenkins' initialAdminPassword), and say where it is. The same recovers an
    /// installation whose active administrators all lack a password: the <c>admin</c> login is made an active
    /// administrator again.
    /// </summary>
    private async Task EnsureAnAdminCanSignInAsync(CancellationToken ct)
    {
        if (await store.AnyAdminCanSignInAsync(ct)) return;
        if (await store.FindLoginAsync(InitialAdmin, ct) is not { } login)
            await store.AddPersonAsync(new Person("p-admin", "管理员 Administrator", Role.Admin, null, InitialAdmin), null, ct);
        else if (login.Person is not { Role: Role.Admin, Active: true })
        {
            await store.UpdatePersonAsync(InitialAdmin, login.Person.Name, Role.Admin, null, login.Person.Phone, ct);
            await store.ReactivatePersonAsync(InitialAdmin, ct);
        }
        var password = PasswordHasher.Generate();
        var path = Path.Combine(endpoints.DataDirectory, "initial-admin-password");
        await File.WriteAllTextAsync(path, password + "\n", ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await store.SetPasswordHashAsync(InitialAdmin, PasswordHasher.Hash(password), ct);
        LogInitialAdmin(InitialAdmin, path);
    }

    private const string InitialAdmin = "admin";

    [LoggerMessage(LogLevel.Warning, "首次启动：管理员账号 {Username} 的初始密码在 {Path}，请登录后修改 / First start: the initial password of the administrator login '{Username}' is in {Path}; sign in and change it (PUT /api/people/{Username}/password)")]
    private partial void LogInitialAdmin(string username, string path);

    [LoggerMessage(LogLevel.Information, "Incident store ready ({Provider}): {Devices} devices, last event seq {Seq}")]
    private partial void LogReady(DatabaseProvider provider, int devices, long seq);
}
