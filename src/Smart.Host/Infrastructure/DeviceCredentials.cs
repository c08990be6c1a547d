using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Smart.Core.Demo;
using Smart.Host.Bridge;

namespace Smart.Host.Infrastructure;

/// <summary>
/// Each device's own MQTT password, derived from a secret (HMAC-SHA256 of the device id), so nothing per device is
/// stored and the broker's password file can be regenerated from the registry at any time. The secret is the demo
/// district's in demo mode, otherwise <c>Devices:CredentialSecret</c>, or one generated once into the data directory.
/// </summary>
public sealed class DeviceCredentials
{
    private readonly string _secret;

    public DeviceCredentials(IOptions<DemoOptions> demo, IConfiguration configuration, Endpoints endpoints)
    {
        _secret = demo.Value.Enabled ? demo.Value.Secret
            : configuration["Devices:CredentialSecret"] is { Length: > 0 } configured ? configured
            : LoadOrCreate(Path.Combine(endpoints.DataDirectory, "device-credential.key"));
    }

    public string PasswordFor(string deviceId) => DemoDistrict.DerivePassword(_secret, deviceId);

    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secret;
    }
}

/// <summary>Broker logins for every registered, not retired device in the bridge's directory.</summary>
internal sealed class RegistryBrokerAccounts(DeviceDirectory devices, DeviceCredentials credentials) : IBrokerAccountSource
{
    public IEnumerable<BrokerAccount> DeviceAccounts() => devices.All.Where(d => !d.Retired)
        .Select(d => BrokerAccount.ForDevice(d, BrokerAccountFiles.HashPassword(credentials.PasswordFor(d.Id))));
}
