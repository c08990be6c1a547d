using System.Globalization;
using System.Text.Json;
using FirmwareSim.Modes;
using FirmwareSim.Registry;
using FirmwareSim.Transport;

namespace Smart.Benchmarks;

/// <summary>One rate step of the ingest benchmark: what was published, landed, how long the backlog took, p99, CPU.</summary>
internal sealed record IngestStep(double Rate, double Achieved, long Published, long Landed, double DrainSeconds, double P99Ms,
    double P50Ms, double CpuPct, double RssMiB, bool Sustained, string Others = "")
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ingest {Rate,7:N0}/s: published {Published:N0} ({Achieved:N0}/s), landed {Landed:N0}, lost {Published - Landed}, drain {DrainSeconds:F1} s, durable p50 {P50Ms:N0} ms p99 {P99Ms:N0} ms, host CPU {CpuPct:N0} %, RSS {RssMiB:N0} MiB; {Others}{(Sustained ? "" : "  ← not sustained")}");
}

internal sealed class IngestProbe(string brokerUrl, int brokerPid, HttpClient http, IngestHost host, IngestBenchmark.BenchInflux influx)
{
    /// <summary>A step is sustained only if the backlog left when publishing stops drains within this long …</summary>
    public const double MaxDrainSeconds = 2;
    /// <summary>… and half the readings were durable within this long of being published.</summary>
    public const double MaxMedianDurableMs = 1000;

    public double MaxRssMiB { get; private set; }

    public async Task<IngestStep> RunStepAsync(IReadOnlyList<SimDevice> fleet, double rate, double seconds)
    {
        var before = await MetricsAsync();
        var cpu0 = host.CpuSeconds();
        var (influx0, broker0, machine0) = (IngestHost.CpuSeconds(influx.Pid), IngestHost.CpuSeconds(brokerPid), IngestHost.MachineCpuSeconds());
        var self0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var t0 = DateTimeOffset.UtcNow;
        using var sampling = new CancellationTokenSource();
        var rss = SampleRssAsync(sampling.Token);
        var report = await new LoadRunner(new LoadOptions
        {
            BrokerUrl = brokerUrl, Devices = fleet,
            Rate = rate, Duration = TimeSpan.FromSeconds(seconds), AtLeastOnce = true, Connections = 4,
        }, new SmartMqttLinkFactory()).RunAsync();
        var published = report.Acked;
        var end = DateTimeOffset.UtcNow;
        // Drain: until the bridge has acknowledged everything the broker accepted (bounded).
        // A write that timed out under load went to the disk spool (durable, acknowledged) and lands when it is replayed,
        // so the step is drained only when the spool is empty too.
        var drained = await WaitAsync(async () => await MetricsAsync() is var m && Ack(m) - Ack(before) >= published
            && m.GetValueOrDefault("smart_influx_spooling") == 0, TimeSpan.FromSeconds(90));
        var drain = (DateTimeOffset.UtcNow - end).TotalSeconds;
        var wall = (DateTimeOffset.UtcNow - t0).TotalSeconds;
        var cpu = (host.CpuSeconds() - cpu0) / wall * 100;
        var machine1 = IngestHost.MachineCpuSeconds();
        var (hostS, influxS, brokerS, simS) = (host.CpuSeconds() - cpu0, IngestHost.CpuSeconds(influx.Pid) - influx0, IngestHost.CpuSeconds(brokerPid) - broker0,
            System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - self0);
        // CPU per published message separates "cheaper" from "got less CPU" when the box is shared.
        double Us(double s) => published == 0 ? 0 : s * 1e6 / published;
        var others = string.Create(CultureInfo.InvariantCulture,
            $"influxd CPU {influxS / wall * 100:N0} %, mosquitto {brokerS / wall * 100:N0} %, sim {simS / wall * 100:N0} %, machine busy {(machine1.Busy - machine0.Busy) / (machine1.Total - machine0.Total) * 100:N0} % of {Environment.ProcessorCount} cores; CPU µs/msg host {Us(hostS):F1} influxd {Us(influxS):F1} mosquitto {Us(brokerS):F1} sim {Us(simS):F1} = {Us(hostS + influxS + brokerS + simS):F1}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        sampling.Cancel();
        var stepRss = await rss;
        var after = await MetricsAsync();
        var landed = await CountAsync(t0, DateTimeOffset.UtcNow.AddSeconds(2)); // the runner stamps ts from its own start, after t0
        var (p50, p99) = Percentiles(before, after);
        var spooled = after.GetValueOrDefault("smart_influx_batches_spooled_total") - before.GetValueOrDefault("smart_influx_batches_spooled_total");
        if (spooled > 0) others += $", {spooled} batches went through the spool";
        var points = after.GetValueOrDefault("smart_influx_points_written_total") - before.GetValueOrDefault("smart_influx_points_written_total");
        others += string.Create(CultureInfo.InvariantCulture, $"; {points / Math.Max(1, published):F2} points/msg");
        // "No growing backlog": a queue that grows all step long shows as a drain that grows with the step and as a median
        // publish → durable time of seconds; a keeping-up pipeline drains at once and makes most readings durable within
        // a second (the batch linger and one InfluxDB write).
        var sustained = drained && landed == published && report.Errors == 0 && drain <= MaxDrainSeconds && p50 <= MaxMedianDurableMs
            && report.MessagesPerSecond >= 0.95 * rate;
        return new IngestStep(rate, report.MessagesPerSecond, published, landed, drain, p99, p50, cpu, stepRss, sustained, others);
    }

    private static double Ack(Dictionary<string, double> m) => m.GetValueOrDefault("smart_bridge_acknowledged_total");

    private async Task<double> SampleRssAsync(CancellationToken ct)
    {
        double max = 0;
        while (!ct.IsCancellationRequested)
        {
            max = Math.Max(max, host.RssMiB());
            MaxRssMiB = Math.Max(MaxRssMiB, max);
            try { await Task.Delay(500, ct); } catch (OperationCanceledException) { }
        }
        return max;
    }

    private async Task<Dictionary<string, double>> MetricsAsync()
    {
        var text = await http.GetStringAsync(new Uri(host.BaseAddress, "/metrics"));
        var result = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            result[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return result;
    }

    /// <summary>p50/p99 from the difference of two scrapes of the cumulative latency buckets (upper bound of the bucket).</summary>
    private static (double P50, double P99) Percentiles(Dictionary<string, double> before, Dictionary<string, double> after)
    {
        var buckets = after.Keys.Where(k => k.StartsWith("smart_bridge_durable_latency_ms_bucket", StringComparison.Ordinal))
            .Select(k => (Le: k.Contains("+Inf") ? double.PositiveInfinity : double.Parse(k.Split('"')[1], CultureInfo.InvariantCulture), N: after[k] - before.GetValueOrDefault(k)))
            .OrderBy(b => b.Le).ToList();
        var total = buckets.Count > 0 ? buckets[^1].N : 0;
        double At(double q) => total == 0 ? 0 : buckets.First(b => b.N >= q * total).Le;
        return (At(0.5), At(0.99));
    }

    /// <summary>Points with a <c>seq</c> in [from, to], counted a minute at a time (one query over a long step outlasts the client's timeout).</summary>
    private async Task<long> CountAsync(DateTimeOffset from, DateTimeOffset to)
    {
        long total = 0;
        for (var start = from; start <= to; start = start.AddMinutes(1))
        {
            var end = start.AddMinutes(1) < to ? start.AddMinutes(1) : to.AddMilliseconds(1);
            var q = $"SELECT count(\"seq\") FROM \"fire\",\"manhole\",\"camera\",\"charger\" WHERE time >= {start.ToUnixTimeMilliseconds()}ms AND time < {end.ToUnixTimeMilliseconds()}ms";
            using var doc = JsonDocument.Parse(await influx.QueryAsync(q, "smart"));
            var r = doc.RootElement.GetProperty("results")[0];
            total += r.TryGetProperty("series", out var s) ? s.EnumerateArray().Sum(x => x.GetProperty("values")[0][1].GetInt64()) : 0;
        }
        return total;
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return false;
    }
}
