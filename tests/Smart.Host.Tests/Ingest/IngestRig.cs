using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Smart.Testing;

namespace Smart.Host.Tests.Ingest;

/// <summary>
/// One isolated ingest stack: a real mosquitto and influxd from the fixtures, and the host as a separate process with
/// <see cref="Devices"/> synthetic fire detectors <c>load-00000…</c> registered. Faults are real: influxd stopped or
/// SIGKILLed, the host SIGKILLed and restarted on the same data directory and MQTT client id.
/// </summary>
public sealed partial class IngestRig : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly HostProcess _host;

    public IngestRig(int devices, IReadOnlyDictionary<string, string>? extra = null)
    {
        Devices = devices;
        var env = new Dictionary<string, string>
        {
            ["Urls"] = BaseAddress.ToString(),
            ["Mqtt__Url"] = Broker.Url,
            ["Mqtt__ClientId"] = "bridge-ingest-" + Port,
            ["Influx__Url"] = Influx.Url,
            ["Database__Provider"] = "sqlite",
            ["Database__ConnectionString"] = $"Data Source={_dir.File("smart.db")}",
            ["Demo__Enabled"] = "true",
            ["Embedded__DataDirectory"] = _dir.Path,
            ["Auth__TokenRequestsPerMinute"] = "1000",
            ["Bridge__SyntheticLoadDevices"] = devices.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Smart.Host.Bridge"] = "Information",
            ["Logging__LogLevel__Smart.Host.Telemetry"] = "Information",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) env[k] = v;
        _host = new HostProcess(env);
    }

    public MosquittoFixture Broker { get; } = new();
    public InfluxFixture Influx { get; } = new();
    public int Devices { get; }
    public int Port { get; } = Ports.Free();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public bool HostExited => _host.HasExited;
    public string HostOutput => _host.Output;

    public async Task StartAsync()
    {
        await Task.WhenAll(Broker.InitializeAsync(), Influx.InitializeAsync());
        Http.BaseAddress = BaseAddress;
        await StartHostAsync();
    }

    public async Task StartHostAsync()
    {
        _host.Start();
        await Eventually.UntilAsync(async () => _host.HasExited || await IsReadyAsync(), TimeSpan.FromSeconds(90), "host /readyz");
        if (_host.HasExited) throw new InvalidOperationException($"host exited at start:\n{_host.Output}");
    }

    /// <summary>SIGKILL the host process (a crash: nothing flushed, no DISCONNECT).</summary>
    public void KillHost() => _host.Kill();

    public async Task<bool> IsReadyAsync()
    {
        try
        {
            using var r = await Http.GetAsync("/readyz");
            return r.IsSuccessStatusCode;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }

    /// <summary>A sample of <c>/metrics</c>: the value of <paramref name="name"/> with exactly the given labels text (or none).</summary>
    public async Task<double> MetricAsync(string name, string labels = "")
    {
        var text = await Http.GetStringAsync("/metrics");
        var key = labels.Length == 0 ? name : $"{name}{{{labels}}}";
        foreach (var line in text.Split('\n'))
            if (line.StartsWith(key + " ", StringComparison.Ordinal))
                return double.Parse(line[(key.Length + 1)..], CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"/metrics has no sample {key}:\n{text}");
    }

    /// <summary>A bearer token for a demo login.</summary>
    public async Task<string> TokenAsync(string username, string password)
    {
        using var login = await Http.PostAsJsonAsync("/api/auth/token", new { username, password });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path, string token)
    {
        using var response = await GetAsync(path, token);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary><c>GET /api/dead-letters</c> counts per reason (as the operator).</summary>
    public async Task<Dictionary<string, long>> DeadLetterCountsAsync()
    {
        var body = await GetJsonAsync("/api/dead-letters?limit=1", await TokenAsync("operator", "operator123"));
        return body.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }

    /// <summary>Per synthetic device: (points, sum of seq) in the <c>fire</c> measurement.</summary>
    public async Task<Dictionary<string, (long Count, long SeqSum)>> PointsPerDeviceAsync()
    {
        var json = await Influx.QueryAsync("SELECT count(\"seq\"), sum(\"seq\") FROM \"fire\" WHERE \"community\" = 'load' GROUP BY \"device\"", "smart");
        using var doc = JsonDocument.Parse(json);
        var result = new Dictionary<string, (long, long)>();
        if (!doc.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series)) return result;
        foreach (var s in series.EnumerateArray())
        {
            var row = s.GetProperty("values")[0];
            result[s.GetProperty("tags").GetProperty("device").GetString()!] = (row[1].GetInt64(), row[2].GetInt64());
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Http.Dispose();
        await Broker.DisposeAsync();
        await Influx.DisposeAsync();
        _dir.Dispose();
    }
}
