using System.Net;
using System.Runtime.InteropServices;

using Xunit;

namespace Smart.Testing;

/// <summary>A real influxd 1.x on free loopback ports with a temp data directory, database <see cref="Database"/> created.</summary>
public partial class InfluxFixture : IAsyncLifetime
{
    public const string Binary = "/usr/bin/influxd";
    private readonly TempDirectory _dir = new();
    private ExternalProcess? _process;

    public int HttpPort { get; } = Ports.Free();
    public int RpcPort { get; } = Ports.Free();
    public string Url => $"http://127.0.0.1:{HttpPort}";
    public string Database { get; init; } = "smart";
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public string Output => _process?.Output ?? "";
    /// <summary>influxd's process id (benchmarks sample its CPU).</summary>
    public int Pid => _process?.Pid ?? throw new InvalidOperationException("influxd is not running.");

    /// <summary>The embedded influxd's Go runtime settings (Smart.Host EmbeddedInflux.GoRuntime), so benchmarks measure what ships.</summary>
    public static readonly Dictionary<string, string> GoRuntime = new()
    {
        ["GOGC"] = "400", ["GOMEMLIMIT"] = "1GiB",
        ["GOMAXPROCS"] = Math.Max(1, Environment.ProcessorCount / 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public virtual async Task InitializeAsync()
    {
        var conf = $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{RpcPort}"
            [meta]
              dir = "{_dir.Path}/meta"
            [data]
              dir = "{_dir.Path}/data"
              wal-dir = "{_dir.Path}/wal"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:{HttpPort}"
              log-enabled = false
            [monitor]
              store-enabled = false
            [continuous_queries]
              log-enabled = false
            """;
        await File.WriteAllTextAsync(_dir.File("influxdb.conf"), conf).ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
        await QueryAsync($"CREATE DATABASE \"{Database}\"", method: HttpMethod.Post).ConfigureAwait(false);
    }

    public async Task StartAsync()
    {
        _process = ExternalProcess.Start(Binary, ["-config", _dir.File("influxdb.conf")], env: GoRuntime);
        var p = _process;
        await Eventually.UntilAsync(async () => p.HasExited || await PingAsync().ConfigureAwait(false),
            TimeSpan.FromSeconds(30), $"influxd /ping on {HttpPort}").ConfigureAwait(false);
        if (p.HasExited) throw new InvalidOperationException($"influxd exited at start:\n{p.Output}");
    }

    public Task StopAsync() => _process?.StopAsync() ?? Task.CompletedTask;

    public void Kill() => _process?.Kill();

    /// <summary>SIGSTOP: influxd hangs with its port open, so requests time out instead of being refused.</summary>
    public void Pause() => Signal(19);

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal(18);

    private void Signal(int signal)
    {
        if (_process is { HasExited: false } p && kill(p.Pid, signal) != 0)
            throw new InvalidOperationException($"kill({p.Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    public async Task<bool> PingAsync()
    {
        try
        {
            using var r = await Http.GetAsync($"{Url}/ping").ConfigureAwait(false);
            return r.StatusCode == HttpStatusCode.NoContent;
        }
        catch (HttpRequestException) { return false; }
    }

    /// <summary>Runs InfluxQL and returns the raw JSON response; throws with the body on a non-2xx status.</summary>
    public async Task<string> QueryAsync(string q, string? db = null, HttpMethod? method = null)
    {
        var url = $"{Url}/query?q={Uri.EscapeDataString(q)}&epoch=ms" + (db is null ? "" : $"&db={Uri.EscapeDataString(db)}");
        using var r = await Http.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, url)).ConfigureAwait(false);
        var body = await r.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"InfluxQL '{q}' failed: {(int)r.StatusCode} {body}");
        return body;
    }

    public virtual async Task DisposeAsync()
    {
        Resume(); // a paused influxd would ignore SIGTERM
        if (_process is not null) await _process.DisposeAsync().ConfigureAwait(false);
        Http.Dispose();
        _dir.Dispose();
    }
}
