using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Smart.Host.Infrastructure;

/// <summary>Source of broker logins: the bridge plus every registered device.</summary>
public interface IBrokerAccountSource
{
    IEnumerable<BrokerAccount> DeviceAccounts();
}

/// <summary>
/// Starts the embedded mosquitto and influxd when no external URL is configured (DESIGN §12), and stops them with
/// the host. Registered first, so it runs before the bridge.
/// </summary>
internal sealed class EmbeddedInfrastructureService(
    IOptions<MqttOptions> mqtt, IOptions<InfluxSettings> influx, IOptions<EmbeddedOptions> embedded,
    IBrokerAccountSource accounts, Endpoints endpoints, ILogger<EmbeddedInfrastructureService> logger) : IHostedService, IAsyncDisposable
{
    private EmbeddedMosquitto? _mosquitto;
    private EmbeddedInflux? _influx;
    private BrokerAccount? _bridgeAccount;

    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            var dataDir = endpoints.DataDirectory;
            await StartBrokerAsync(dataDir, ct);
            await StartInfluxAsync(dataDir, ct);
            endpoints.MarkReady();
        }
        catch (Exception e)
        {
            endpoints.MarkFailed(e);
            throw;
        }
    }

    private async Task StartBrokerAsync(string dataDir, CancellationToken ct)
    {
        if (mqtt.Value.IsExternal)
        {
            (endpoints.MqttUrl, endpoints.MqttUsername, endpoints.MqttPassword) = (mqtt.Value.Url!, mqtt.Value.Username, mqtt.Value.Password);
            return;
        }
        // A fresh bridge password every start: nothing secret is left at rest for the embedded broker.
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _bridgeAccount = BrokerAccount.ForBridge("smart-bridge", BrokerAccountFiles.HashPassword(password));
        _mosquitto = new EmbeddedMosquitto(embedded.Value, dataDir, logger);
        await _mosquitto.StartAsync(AllAccounts(), ct);
        (endpoints.MqttUrl, endpoints.MqttUsername, endpoints.MqttPassword) = ($"mqtt://127.0.0.1:{embedded.Value.MqttPort}", _bridgeAccount.Username, password);
    }

    private async Task StartInfluxAsync(string dataDir, CancellationToken ct)
    {
        if (influx.Value.IsExternal)
        {
            endpoints.InfluxUrl = influx.Value.Url!;
            return;
        }
        _influx = new EmbeddedInflux(embedded.Value, dataDir, logger);
        await _influx.StartAsync(ct);
        endpoints.InfluxUrl = _influx.Url;
    }

    /// <summary>Regenerates the broker's password and ACL files after a device was registered or retired.</summary>
    public void ReloadBrokerAccounts() => _mosquitto?.Reload(AllAccounts());

    /// <summary>Waits (a few seconds at most) until the embedded broker admits a login just registered; true at once for an
    /// external broker, whose logins are not the host's to manage.</summary>
    public Task<bool> BrokerAdmitsAsync(string username, string password, CancellationToken ct) =>
        _mosquitto?.AdmitsAsync(username, password, TimeSpan.FromSeconds(5), ct) ?? Task.FromResult(true);

    private IEnumerable<BrokerAccount> AllAccounts() => accounts.DeviceAccounts().Prepend(_bridgeAccount!);

    // Hosted services stop in reverse order of registration: the bridge has drained before its servers go.
    public async Task StopAsync(CancellationToken ct) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_mosquitto is not null) await _mosquitto.DisposeAsync();
        if (_influx is not null) await _influx.DisposeAsync();
    }
}
