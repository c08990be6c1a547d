using System.Globalization;
using Smart.Testing;

namespace Smart.Benchmarks;

/// <summary>
/// The built host (same configuration as this benchmark, normally Release) as its own process on a fixture broker and
/// influxd, with 10 000 synthetic load devices registered; samples its RSS and CPU from /proc.
/// </summary>
internal sealed class IngestHost : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ExternalProcess _process;

    public IngestHost(string brokerUrl, string influxUrl, int devices, IReadOnlyDictionary<string, string> extra)
    {
        var env = new Dictionary<string, string>
        {
            ["Urls"] = BaseAddress.ToString(), ["Mqtt__Url"] = brokerUrl, ["Mqtt__ClientId"] = "bridge-bench", ["Influx__Url"] = influxUrl,
            ["Database__Provider"] = "sqlite", ["Database__ConnectionString"] = $"Data Source={_dir.File("smart.db")}",
            ["Demo__Enabled"] = "true", ["Embedded__DataDirectory"] = _dir.Path,
            ["Bridge__SyntheticLoadDevices"] = devices.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (k, v) in extra) env[k] = v;
        var dll = DllPath();
        Console.WriteLine($"host: {dll}");
        _process = ExternalProcess.Start("/usr/bin/dotnet", [dll, "--contentRoot", Path.GetDirectoryName(dll)!], env: env);
    }

    public int Port { get; } = Ports.Free();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public string Output => _process.Output;

    public async Task WaitReadyAsync(HttpClient http)
    {
        await Eventually.UntilAsync(async () =>
        {
            if (_process.HasExited) return true;
            try { return (await http.GetAsync(new Uri(BaseAddress, "/readyz"))).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(120), "host /readyz", pollMs: 250);
        if (_process.HasExited) throw new InvalidOperationException($"host exited:\n{_process.Output}");
    }

    public double RssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return 0;
    }

    /// <summary>User + system CPU seconds so far.</summary>
    public double CpuSeconds() => CpuSeconds(_process.Pid);

    /// <summary>User + system CPU seconds of process <paramref name="pid"/> so far (/proc/PID/stat, 100 ticks/s).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Busy and total CPU seconds of the whole machine (/proc/stat), for how loaded the box was.</summary>
    public static (double Busy, double Total) MachineCpuSeconds()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture) / 100).ToArray();
        var idle = f[3] + f[4];
        return (f.Sum() - idle, f.Sum());
    }

    private static string DllPath()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var config = bin.Parent!.Name;
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Smart.sln"))) root = root.Parent;
        return Path.Combine(root?.FullName ?? ".", "src", "Smart.Host", "bin", config, "net10.0", "Smart.Host.dll");
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _dir.Dispose();
    }
}
