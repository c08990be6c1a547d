using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Smart.Host.Bridge;
using Smart.Mqtt;
using Smart.Testing;

namespace Smart.Host.Tests.Infrastructure;

/// <summary>
/// A host in demo mode with nothing external configured: it spawns its own mosquitto (which admits only the registry's
/// logins) and influxd on free ports (DESIGN §12). Started when <see cref="StartAsync"/> returns (the bridge consuming);
/// disposing stops it and waits for the embedded broker to go.
/// </summary>
internal sealed class EmbeddedHost : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private WebApplicationFactory<Program>? _factory;

    public int MqttPort { get; } = Ports.Free();

    /// <summary>Addressed at the host's HTTP port.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task StartAsync()
    {
        var port = Ports.Free();
        Http.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Urls", Http.BaseAddress.ToString());
            b.UseSetting("Demo:Enabled", "true");
            b.UseSetting("Embedded:DataDirectory", _dir.Path);
            b.UseSetting("Embedded:MqttPort", MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Embedded:InfluxPort", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Embedded:InfluxRpcPort", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        _factory.UseKestrel(port);
        _factory.StartServer();
        var bridge = (BridgeService)_factory.Services.GetService(typeof(BridgeService))!;
        await Eventually.UntilAsync(() => bridge.IsConsuming, TimeSpan.FromSeconds(60), "the bridge consuming from the embedded broker");
    }

    /// <summary>An MQTT client of the embedded broker logging in as <paramref name="username"/> (a device's login is its id).</summary>
    public MqttClient DeviceClient(string username, string password) => new(new MqttClientOptions
    {
        Port = MqttPort, ClientId = username, Username = username, Password = password, AutoReconnect = false,
    });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        // The embedded servers go with the host (the factory may finish stopping it just after DisposeAsync returns).
        await Eventually.UntilAsync(async () => !await Ports.AcceptsAsync(MqttPort), TimeSpan.FromSeconds(15), "the embedded mosquitto to stop with the host");
        _dir.Dispose();
    }
}
