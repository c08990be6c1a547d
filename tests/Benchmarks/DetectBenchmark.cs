using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Smart.Detection;
using Smart.Detection.Nab;
using Smart.Detection.Streaming;

namespace Smart.Benchmarks;

/// <summary><c>./smart bench detect [--data DIR] [--bdn] [--normal-seeds 7,1,…] [--scenario-seed 11] [--scenarios-only]</c>: NAB dev-split
/// scores (ours and the reference detectors shipped with the split), detector cost per point and state size per metric
/// (host) and per series (NAB), and the firmware-sim scenario evaluation. <c>--bdn</c> also runs the BenchmarkDotNet suite
/// <see cref="DetectorBenchmarks"/> (<c>--bdn-only [BenchmarkDotNet args, e.g. --filter *Engine*]</c> only that); <c>--normal-seeds</c> runs the normal 24 h day for each seed (default 7);
/// <c>--scenario-seed</c> places the scenario day's scenarios and traffic (default 11);
/// <c>--scenarios-only</c> runs only the firmware-sim part. The firmware-sim days are also shown as the operations centre
/// sees them, as incidents (<see cref="ScenarioIncidents"/>): per scenario of the scenario day, and in total on the normal days.</summary>
public sealed class DetectBenchmark : IBenchmark
{
    public string Name => "detect";

    public async Task<BenchResult> RunAsync(string[] args)
    {
        var bdnOnly = Array.IndexOf(args, "--bdn-only");
        if (bdnOnly >= 0)
        {
            BenchmarkRunner.Run<DetectorBenchmarks>(args: args[(bdnOnly + 1)..]);
            return new BenchResult(Name);
        }
        var seedsIndex = Array.IndexOf(args, "--normal-seeds");
        int[] normalSeeds = seedsIndex >= 0 ? [.. args[seedsIndex + 1].Split(',').Select(int.Parse)] : [7];
        var scenarioSeedIndex = Array.IndexOf(args, "--scenario-seed");
        var scenarioSeed = scenarioSeedIndex >= 0 ? int.Parse(args[scenarioSeedIndex + 1], System.Globalization.CultureInfo.InvariantCulture) : 11;
        var (falseIncidents, messages, scenarios) = Scenarios(normalSeeds, scenarioSeed, out var normalAlerts);
        var (normalIncidents, incidents) = await IncidentsAsync(normalSeeds, normalAlerts, scenarios);
        var result = new BenchResult(Name)
            .Add("false_incidents_24h", falseIncidents)
            .Add("messages_24h", messages)
            .Add("scenario_recall", scenarios.Recall)
            .Add("scenario_max_delay_s", DetectScenarios.MaxDelay(scenarios, DetectScenarios.Short))
            .Add("scenario_urgent_max_delay_s", DetectScenarios.MaxDelay(scenarios, DetectScenarios.Urgent))
            .Add("scenario_urgent_max_first_alert_s", DetectScenarios.MaxFirstAlertFromOnset(scenarios, DetectScenarios.Urgent))
            .Add("scenario_false_incidents", scenarios.FalseAlerts.Count)
            .Add("normal_day_incidents", normalIncidents)
            .Add("scenario_incidents_total", incidents.Incidents.Count)
            .Add("scenario_incidents_max", incidents.MaxPerScenario)
            .Add("scenario_incidents_fire_building", incidents.Incidents.Count(r => r.Scenario?.StartsWith("fire-building#", StringComparison.Ordinal) == true))
            .Add("scenario_incidents_unattributed", incidents.Unattributed.Count);
        if (args.Contains("--scenarios-only")) return result;
        var dataIndex = Array.IndexOf(args, "--data");
        var data = dataIndex >= 0 ? args[dataIndex + 1] : NabCorpus.FindDevSplit();
        var corpus = NabCorpus.Load(data);
        var scores = corpus.Select(s => (IReadOnlyList<double>)NabDetector.Run(s.Timestamps, s.Values)).ToList();
        var report = NabScorer.Evaluate(corpus, scores);
        foreach (var p in report)
            Console.WriteLine($"{p.Profile,-20} threshold={p.Threshold:0.####} score={p.Normalized:0.00} TP={p.TruePositives} FP={p.FalsePositives} FN={p.FalseNegatives}");
        PrintReferences(data, corpus);
        if (args.Contains("--bdn")) BenchmarkRunner.Run<DetectorBenchmarks>();
        return result
            .Add("nab_dev_standard", report[0].Normalized)
            .Add("nab_dev_low_fp", report[1].Normalized)
            .Add("nab_dev_low_fn", report[2].Normalized)
            .Add("nab_dev_windows_found", report[0].TruePositives)
            .Add("nab_dev_false_positives", report[0].FalsePositives)
            .Add("nab_ns_per_point", NabNsPerPoint(resonance: true))
            .Add("nab_ns_per_point_without_resonance", NabNsPerPoint(resonance: false))
            .Add("nab_state_bytes_per_series", NabStateBytes())
            .Add("ns_per_point", NsPerPoint(MetricDetectorOptions.Default))
            .Add("ns_per_point_without_sr", NsPerPoint(new MetricDetectorOptions(SpectralResidual: false)))
            .Add("state_bytes_per_metric", StateBytes())
            .Add("engine_ns_per_reading", EngineNsPerReading())
            .Add("engine_10k_devices_ns_per_reading", EngineNsPerReadingManyDevices());
    }

    /// <summary>firmware-sim's TrafficEngine, all 423 demo devices: a normal 24 h day per seed (incidents and messages
    /// summed over the seeds), and a 24 h day with every scenario injected one per 30 min after 2 h (<paramref name="scenarioSeed"/>),
    /// scored against the simulator's ground truth.</summary>
    private static (int FalseIncidents, int Messages, Smart.Detection.Evaluation.ScenarioReport Scenarios) Scenarios(IReadOnlyList<int> normalSeeds, int scenarioSeed,
        out List<IReadOnlyList<Smart.Detection.Evaluation.ScenarioAlert>> normalAlerts)
    {
        int falseIncidents = 0, messages = 0;
        normalAlerts = [];
        foreach (var seed in normalSeeds)
        {
            var day = DetectScenarios.Run(seed, hours: 24, []);
            normalAlerts.Add(day.Alerts);
            foreach (var a in day.FalseAlerts.Take(20)) Console.WriteLine($"normal day seed {seed}, false incident: {a.DeviceId} {a.IncidentType} {a.Reason}");
            Console.WriteLine($"normal day seed {seed}: {day.Messages} messages, {day.FalseAlerts.Count} incidents");
            falseIncidents += day.FalseAlerts.Count;
            messages += day.Messages;
        }
        string[] all = ["charger-long-charge", "sensor-stuck", .. DetectScenarios.Short];
        var report = DetectScenarios.Run(scenarioSeed, hours: 24, all, warmupMs: 2 * DetectScenarios.HourMs, everyMs: 30 * 60_000);
        foreach (var o in report.Outcomes) Console.WriteLine(DetectScenarios.Describe(o));
        foreach (var a in report.FalseAlerts.Take(20)) Console.WriteLine($"scenario day, false incident: {a.DeviceId} {a.IncidentType} {a.Reason}");
        return (falseIncidents, messages, report);
    }

    /// <summary>The same runs as the operations centre sees them (<see cref="ScenarioIncidents"/>): each day's alerts
    /// raised into a fresh incident store after detection is done (the store stays out of the engine's path). Prints the
    /// scenario day's incidents per scenario; returns the normal days' incidents (summed) and the scenario day's view.</summary>
    private static async Task<(int NormalIncidents, ScenarioIncidents.View ScenarioDay)> IncidentsAsync(IReadOnlyList<int> normalSeeds,
        List<IReadOnlyList<Smart.Detection.Evaluation.ScenarioAlert>> normalAlerts, Smart.Detection.Evaluation.ScenarioReport scenarios)
    {
        var normal = 0;
        for (var i = 0; i < normalSeeds.Count; i++)
        {
            var day = await ScenarioIncidents.ReplayAsync(normalAlerts[i]);
            foreach (var r in day.Incidents.Take(20)) Console.WriteLine($"normal day seed {normalSeeds[i]}, incident: {r.Incident.Type} {r.Incident.Severity} {r.Incident.Title} +{r.Incident.UpdateCount}");
            Console.WriteLine($"normal day seed {normalSeeds[i]}: {normalAlerts[i].Count} alerts → {day.Incidents.Count} incidents ({day.Refused} refused)");
            normal += day.Incidents.Count;
        }
        var view = await ScenarioIncidents.ReplayAsync(scenarios.Alerts);
        Console.WriteLine($"scenario day, as the operations centre sees it: {scenarios.Alerts.Count} alerts → {view.Incidents.Count} incidents ({view.Refused} refused)");
        foreach (var line in ScenarioIncidents.Table(scenarios, view)) Console.WriteLine(line);
        return (normal, view);
    }

    /// <summary>One metric detector over 2M points of a noisy daily cycle at 10 s steps (best of 3 runs).</summary>
    private static double NsPerPoint(MetricDetectorOptions options)
    {
        var values = DetectorBenchmarks.Series(2_000_000);
        var best = double.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var d = new MetricDetector(options);
            var cpu = CpuNow();
            for (var i = 0; i < values.Length; i++) d.Update(DetectorBenchmarks.T0 + i * 10_000L, values[i]);
            best = Math.Min(best, (CpuNow() - cpu) / values.Length);
        }
        return best;
    }

    /// <summary>The reference detectors' scores with the same scorer (when the split ships their results).</summary>
    private static void PrintReferences(string data, IReadOnlyList<NabSeries> corpus)
    {
        foreach (var name in new[] { "numenta", "windowedGaussian" })
        {
            var root = Path.Combine(data, "reference-results", name);
            if (!Directory.Exists(root)) continue;
            var scores = corpus.Select(s => (IReadOnlyList<double>)NabCorpus.ReadCsv(Path.Combine(root, Path.GetDirectoryName(s.RelativePath)!,
                $"{name}_{Path.GetFileName(s.RelativePath)}"), "anomaly_score").Values).ToList();
            var r = NabScorer.Evaluate(corpus, scores);
            Console.WriteLine($"{name,-20} standard={r[0].Normalized:0.00} low_fp={r[1].Normalized:0.00} low_fn={r[2].Normalized:0.00} TP={r[0].TruePositives} FP={r[0].FalsePositives}");
        }
    }

    /// <summary>The NAB detector (learning period 750 rows, NAB's longest) over 1M points of the same series (best of 3).</summary>
    private static double NabNsPerPoint(bool resonance)
    {
        var values = DetectorBenchmarks.Series(1_000_000);
        var best = double.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var d = new NabDetector(750, new NabDetectorOptions(Resonance: resonance));
            var cpu = CpuNow();
            for (var i = 0; i < values.Length; i++) d.Update(DateTime.UnixEpoch.AddTicks(i * 100_000_000L), values[i]);
            best = Math.Min(best, (CpuNow() - cpu) / values.Length);
        }
        return best;
    }

    /// <summary>Saved NAB detector state after 200k noisy points (its resonance categories full).</summary>
    private static double NabStateBytes()
    {
        var d = new NabDetector(750);
        var values = DetectorBenchmarks.Series(200_000);
        var rng = new Random(2);
        for (var i = 0; i < values.Length; i++) d.Update(DateTime.UnixEpoch.AddTicks(i * 100_000_000L), values[i] * (1 + 3 * rng.NextDouble()));
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms)) d.Write(w);
        return ms.ToArray().Length;
    }

    private static double StateBytes()
    {
        var d = new MetricDetector();
        var values = DetectorBenchmarks.Series(200_000);
        for (var i = 0; i < values.Length; i++) d.Update(DetectorBenchmarks.T0 + i * 10_000L, values[i]);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms)) d.Write(w);
        return ms.ToArray().Length;
    }

    /// <summary>The whole engine (rules + 3 metrics + gates) on fire readings from 100 devices.</summary>
    private static double EngineNsPerReading()
    {
        var engine = new DetectionEngine();
        var values = DetectorBenchmarks.Series(300_000);
        var readings = values.Select((v, i) => new ReadingInput("F" + (i % 100), Smart.Core.DeviceKind.Fire, "B1", DetectorBenchmarks.T0 + i * 100L,
            [new("smoke_pct_per_m", 0.1 + 0.01 * Math.Abs(v)), new("temp_c", 22 + v), new("co_ppm", 2 + Math.Abs(v))])).ToArray();
        var cpu = CpuNow();
        foreach (var r in readings) engine.Process(r);
        return (CpuNow() - cpu) / readings.Length;
    }

    /// <summary>The host's path, <see cref="DetectorBenchmarks.EngineProcessManyDevices"/> (10 000 devices in turn, state
    /// not in cache), in CPU time per reading: best of 10 rounds of 50 000 readings after its warm-up.</summary>
    private static double EngineNsPerReadingManyDevices()
    {
        var bench = new DetectorBenchmarks();
        bench.Setup();
        var best = double.MaxValue;
        for (var round = 0; round < 10; round++)
        {
            var cpu = CpuNow();
            for (var i = 0; i < 50_000; i++) bench.EngineProcessManyDevices();
            best = Math.Min(best, (CpuNow() - cpu) / 50_000);
        }
        return best;
    }

    /// <summary>CPU time of this process in ns: the machines are shared (load averages far above the core count),
    /// so wall-clock per point measures the neighbours; CPU time of a single-threaded loop measures us.</summary>
    private static double CpuNow() => Process.GetCurrentProcess().TotalProcessorTime.TotalNanoseconds;
}

/// <summary>Runs in process (no generated project to build: on a shared box that build picked up a stale copy of this
/// assembly) with BenchmarkDotNet's short-run job.</summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class DetectorBenchmarks
{
    private sealed class InProcessShortRun : ManualConfig
    {
        public InProcessShortRun() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }

    public const long T0 = 1_767_225_600_000;
    private double[] _values = [];
    private MetricDetector _detector = new();
    private NabDetector _nab = new(750);
    private int _i;
    public const int HostDevices = 10_000;
    private readonly string[] _deviceIds = [.. Enumerable.Range(0, HostDevices).Select(d => "F" + d)];
    private readonly string[] _buildingIds = [.. Enumerable.Range(0, HostDevices / 20).Select(b => "B" + b)];
    private DetectionEngine _engine = new();
    private int _j;
    private readonly Smart.Detection.Rules.RuleState _still = new(), _rising = new();
    private readonly Smart.Detection.ManholeRuleOptions _manhole = new();
    private int _wStill, _wRising;

    public static double[] Series(int n)
    {
        var rng = new Random(1);
        return Enumerable.Range(0, n).Select(i => 5 * Math.Sin(2 * Math.PI * i / 8640.0) + rng.NextDouble()).ToArray();
    }

    [GlobalSetup]
    public void Setup()
    {
        _values = Series(100_000);
        _detector = new MetricDetector();
        _nab = new NabDetector(750);
        for (var i = 0; i < 50_000; i++)
        {
            _detector.Update(T0 + i * 10_000L, _values[i]);
            _nab.Update(DateTime.UnixEpoch.AddTicks(i * 100_000_000L), _values[i]);
        }
        _i = 50_000;
        _engine = new DetectionEngine();
        for (_j = 0; _j < 60 * HostDevices;) EngineProcessManyDevices();
        for (var i = 0; i < 64; i++)
        {
            ManholeFloodOnsetTestStill();
            ManholeFloodOnsetTestRising();
        }
    }

    /// <summary>The flood-onset test a manhole cover's dense level reading adds to its water metric, on top of the metric's
    /// detector: a full 64-sample history 2 s apart of a still sewer with the gauge's noise (the common case: a noise
    /// pre-trigger's burst; no onset comes near the threshold, the exact variance is skipped).</summary>
    [Benchmark]
    public double ManholeFloodOnsetTestStill() => FloodOnset(_still, ref _wStill, 0);

    /// <summary>The same during a flood at the slowest scenario rise (5.75 cm/min): every onset tried in full.</summary>
    [Benchmark]
    public double ManholeFloodOnsetTestRising() => FloodOnset(_rising, ref _wRising, 5.75);

    private double FloodOnset(Smart.Detection.Rules.RuleState water, ref int sample, double cmPerMin)
    {
        var i = sample++;
        water.AddTrend(T0 + i * 2_000L, -150 + cmPerMin * i / 30.0 + 0.1 * _values[i % _values.Length]);
        var o = _manhole;
        return water.SteepestOnset(o.FloodOnset, o.GaugeNoise, o.FloodOnsetZ).Z;
    }

    /// <summary>The host's per-message path: fire readings (4 metrics, each device its own phase of a noisy daily cycle)
    /// from <see cref="HostDevices"/> devices in turn, 20 per building, 10 s apart per device, their state warmed up and
    /// too large to stay in cache.</summary>
    [Benchmark]
    public int EngineProcessManyDevices()
    {
        var (device, k) = (_j % HostDevices, _j / HostDevices);
        _j++;
        var v = _values[(k + device * 7919) % _values.Length];
        var reading = new ReadingInput(_deviceIds[device], Smart.Core.DeviceKind.Fire, _buildingIds[device / 20], T0 + k * 10_000L + device,
            [new("smoke_pct_per_m", 0.1 + 0.01 * Math.Abs(v)), new("temp_c", 22 + v), new("co_ppm", 2 + Math.Abs(v)), new("battery_pct", Math.Round(90 + v / 5, 1))]);
        return _engine.Process(reading).Scores.Count;
    }

    [Benchmark]
    public double MetricDetectorUpdate()
    {
        var i = _i++ % _values.Length;
        return _detector.Update(T0 + (long)_i * 10_000L, _values[i]).Score;
    }

    [Benchmark]
    public double NabDetectorUpdate()
    {
        var i = _i++ % _values.Length;
        return _nab.Update(DateTime.UnixEpoch.AddTicks(_i * 100_000_000L), _values[i]);
    }
}
