using System.Globalization;
using FirmwareSim.Modes;
using Smart.Testing;

namespace Smart.Benchmarks;

/// <summary>
/// <c>./smart bench ingest [--rates 10000,20000,…] [--seconds 60] [--warmup 0] [--devices 10000] [--nodered N] [--set Bridge__X=Y]</c>:
/// firmware-sim load (QoS 1) → mosquitto → host (own process) → influxd, all on this machine. Steps the rate and stops
/// at the first step that loses a message, cannot be published, or shows a growing backlog (see
/// <see cref="IngestProbe.MaxDrainSeconds"/> and <see cref="IngestProbe.MaxMedianDurableMs"/>). Steps last a minute by
/// default: influxd's cost per point grows as its cache fills and compacts, which 20-s steps do not see.
/// </summary>
public sealed class IngestBenchmark : IBenchmark
{
    public string Name => "ingest";

    public async Task<BenchResult> RunAsync(string[] args)
    {
        var rates = BenchArgs.Get(args, "--rates", "10000,20000,30000,40000,50000").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToList();
        var seconds = BenchArgs.Number(args, "--seconds", 60);
        var devices = int.Parse(BenchArgs.Get(args, "--devices", "10000"), CultureInfo.InvariantCulture);
        var extra = args.Select((a, i) => a == "--set" ? args[i + 1].Split('=', 2) : null).OfType<string[]>().ToDictionary(kv => kv[0], kv => kv[1]);
        // No broker persistence: saving the queue every second is broker CPU unrelated to the bridge. Unlimited queue,
        // like the embedded broker's (10 M messages, no byte limit), so the broker never drops.
        await using var broker = new BenchBrokerFixture { Persistence = false };
        await using var influx = new BenchInflux();
        await Task.WhenAll(broker.InitializeAsync(), influx.InitializeAsync());
        await using var host = new IngestHost(broker.Url, influx.Url, devices, extra);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        await host.WaitReadyAsync(http);
        var fleet = LoadPayloads.Devices(FirmwareSim.Registry.DeviceRegistry.Demo(), devices);
        var probe = new IngestProbe(broker.Url, broker.Pid, http, host, influx);
        // A host runs for months: --warmup runs the first rate that long first (not counted), so the steps measure a host
        // whose JIT tiering is done rather than the first minute after start-up.
        var warmup = BenchArgs.Number(args, "--warmup", 0);
        if (warmup > 0) Console.WriteLine($"warm-up, not counted: {await probe.RunStepAsync(fleet, rates[0], warmup)}");
        IngestStep? best = null;
        foreach (var rate in rates)
        {
            var step = await probe.RunStepAsync(fleet, rate, seconds);
            Console.WriteLine(step);
            if (!step.Sustained) break;
            best = step;
        }
        var result = new BenchResult(Name);
        var b = best ?? new IngestStep(0, 0, 0, 0, 0, 0, 0, 0, 0, false);
        return result.Add("msgs_per_s", b.Achieved).Add("published", b.Published).Add("landed", b.Landed).Add("lost", b.Published - b.Landed)
            .Add("p99_durable_ms", b.P99Ms).Add("host_rss_mib", probe.MaxRssMiB).Add("host_cpu_pct", b.CpuPct)
            .Add("nodered_msgs_per_s", BenchArgs.Number(args, "--nodered", 0));
    }

    internal sealed class BenchBrokerFixture : MosquittoFixture, IAsyncDisposable
    {
        ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
    }

    internal sealed class BenchInflux : InfluxFixture, IAsyncDisposable
    {
        ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
    }
}
