using System.Diagnostics;
using System.Text.Json;
using Smart.Mqtt;

namespace Smart.Benchmarks;

/// <summary>Runs tests/Benchmarks/mqttjs/bench.js (the npm <c>mqtt</c> package) and reads its JSON result line.</summary>
internal sealed class MqttJsRunner(string directory)
{
    public static MqttJsRunner Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Benchmarks", "mqttjs");
            if (File.Exists(Path.Combine(candidate, "bench.js"))) return new MqttJsRunner(candidate);
        }
        throw new InvalidOperationException("tests/Benchmarks/mqttjs/bench.js not found above " + AppContext.BaseDirectory);
    }

    public async Task EnsureInstalledAsync()
    {
        if (Directory.Exists(Path.Combine(directory, "node_modules", "mqtt"))) return;
        var (code, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3));
        if (code != 0) throw new InvalidOperationException($"npm ci in {directory} failed ({code}): {output}");
    }

    /// <summary>CPU microseconds per message of the last run (node's user + system time, start-up included).</summary>
    public double LastCpuMicrosPerMessage { get; private set; }

    public Task<double> ReceiveAsync(int port, MqttQos qos, int count, string clientId, string topic) =>
        BenchAsync(["recv", port.ToString(), ((int)qos).ToString(), count.ToString(), clientId, topic]);

    public Task<double> PublishAsync(int port, MqttQos qos, int count) =>
        BenchAsync(["pub", port.ToString(), ((int)qos).ToString(), count.ToString(), $"bench/mqttjs-pub/q{(int)qos}"]);

    private async Task<double> BenchAsync(string[] args)
    {
        var (code, output) = await RunAsync("node", ["bench.js", .. args], TimeSpan.FromMinutes(2));
        var line = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (code != 0 || line is null) throw new InvalidOperationException($"node bench.js {string.Join(' ', args)} failed ({code}): {output}");
        using var json = JsonDocument.Parse(line);
        LastCpuMicrosPerMessage = json.RootElement.GetProperty("cpu_us").GetDouble() / json.RootElement.GetProperty("count").GetDouble();
        Console.WriteLine($"    (MQTT.js CPU {LastCpuMicrosPerMessage:0.00} µs per message)");
        return json.RootElement.GetProperty("count").GetDouble() / json.RootElement.GetProperty("seconds").GetDouble();
    }

    private async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
