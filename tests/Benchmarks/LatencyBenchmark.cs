using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FirmwareSim;
using FirmwareSim.Modes;
using FirmwareSim.Registry;

namespace Smart.Benchmarks;

/// <summary>
/// <c>./smart bench latency [--samples 30] [--scenario falling-object] [--interval-scale 0.1]</c>: the whole demo district
/// publishes in the background while scenario onsets are injected one by one; each sample is the time from the
/// triggering publish to the matching <c>incident</c> event on the ops hub (firmware-sim → mosquitto → host → hub).
/// </summary>
public sealed class LatencyBenchmark : IBenchmark
{
    public string Name => "latency";

    public async Task<BenchResult> RunAsync(string[] args)
    {
        var samples = int.Parse(BenchArgs.Get(args, "--samples", "30"), CultureInfo.InvariantCulture);
        var scenario = BenchArgs.Get(args, "--scenario", "falling-object");
        var scale = BenchArgs.Number(args, "--interval-scale", 0.1);
        await using var broker = new IngestBenchmark.BenchBrokerFixture();
        await using var influx = new IngestBenchmark.BenchInflux();
        await Task.WhenAll(broker.InitializeAsync(), influx.InitializeAsync());
        await using var host = new IngestHost(broker.Url, influx.Url, 0, new Dictionary<string, string>());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        await host.WaitReadyAsync(http);
        using var login = await http.PostAsJsonAsync(new Uri(host.BaseAddress, "/api/auth/token"), new { username = "operator", password = "operator123" });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();

        await using var sim = new Simulator(new SimulatorOptions { BrokerUrl = broker.Url, Devices = DeviceRegistry.Demo(), IntervalScale = scale, Seed = 11 });
        await sim.StartAsync();
        var report = await LatencyMode.MeasureAsync(sim, new LatencySettings(new Uri(host.BaseAddress, "/hubs/ops"), token, scenario, samples,
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
        Console.WriteLine($"latency: {report.LatenciesMs.Count} samples, {report.Missed} missed, background {report.BackgroundMsgsPerSecond:F0} msgs/s");
        return new BenchResult(Name).Add("p50_ms", report.Percentile(50)).Add("p95_ms", report.Percentile(95)).Add("p99_ms", report.Percentile(99))
            .Add("max_ms", report.Max).Add("background_msgs_per_s", report.BackgroundMsgsPerSecond).Add("missed", report.Missed);
    }

}
