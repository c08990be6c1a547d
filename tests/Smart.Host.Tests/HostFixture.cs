using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Smart.Testing;

namespace Smart.Host.Tests;

/// <summary>
/// The real host on a real Kestrel port, wired to a real mosquitto and influxd started by fixtures, with SQLite in a
/// temp directory and the demo district loaded (or, with <c>demo: false</c>, an empty installation).
/// </summary>
public sealed class HostFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly bool _demo;

    public HostFixture() : this(demo: true) { }

    internal HostFixture(bool demo) => _demo = demo;

    /// <summary>The host's data directory (SQLite, spool, generated keys).</summary>
    public string DataDirectory => _dir.Path;
    private WebApplicationFactory<Program>? _factory;

    public MosquittoFixture Broker { get; } = new();
    public InfluxFixture Influx { get; } = new();
    public int Port { get; } = Ports.Free();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Broker.InitializeAsync(), Influx.InitializeAsync());
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in Settings()) b.UseSetting(key, value);
        });
        _factory.UseKestrel(Port);
        _factory.StartServer();
        Http.BaseAddress = BaseAddress;
        await Eventually.UntilAsync(IsReadyAsync, TimeSpan.FromSeconds(60), "host /readyz");
    }

    private async Task<bool> IsReadyAsync()
    {
        try { return (await Http.GetAsync("/readyz")).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["Urls"] = BaseAddress.ToString(),
        ["Mqtt:Url"] = Broker.Url,
        ["Mqtt:ClientId"] = "bridge-test-" + Port,
        ["Influx:Url"] = Influx.Url,
        ["Database:Provider"] = "sqlite",
        ["Database:ConnectionString"] = $"Data Source={_dir.File("smart.db")}",
        ["Demo:Enabled"] = _demo ? "true" : "false",
        ["Auth:SigningKey"] = "test-signing-key-with-at-least-32-characters-0123456789",
        ["Embedded:DataDirectory"] = _dir.Path,
        ["Auth:TokenRequestsPerMinute"] = "1000",
    };

    public T Service<T>() where T : notnull => (T)_factory!.Services.GetService(typeof(T))!;

    /// <summary>A bearer token for a demo login (e.g. operator / operator123).</summary>
    public async Task<string> TokenAsync(string username)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/token", new { username, password = username + "123" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("accessToken").GetString()!;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_factory is not null) await _factory.DisposeAsync();
        }
        finally
        {
            // The servers stop even when the host's shutdown throws: they would outlive the test run otherwise.
            Http.Dispose();
            await Broker.DisposeAsync();
            await Influx.DisposeAsync();
            _dir.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostFixture>
{
    public const string Name = "host";
}
