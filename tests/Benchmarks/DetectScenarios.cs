using System.Text;
using FirmwareSim.Engine;
using FirmwareSim.Registry;
using FirmwareSim.Scenarios;
using Smart.Detection;
using Smart.Detection.Evaluation;
using GroundTruth = Smart.Detection.Evaluation.GroundTruth;
using Smart.Core.Incidents;

namespace Smart.Benchmarks;

/// <summary>Scenario evaluation with the real simulator and no broker: firmware-sim's deterministic
/// <see cref="TrafficEngine"/> (all demo devices, a seed, injected scenarios) → <see cref="PayloadReader"/> →
/// <see cref="DetectionEngine"/> (+ <c>CheckSilence</c> every 30 simulated s), scored against the simulator's ground
/// truth by <see cref="ScenarioEvaluator"/>. Shared by the <c>detect</c> benchmark and Smart.Detection.Tests.</summary>
internal static class DetectScenarios
{
    public const long HourMs = 3_600_000;
    /// <summary>2026-06-01T00:00:00Z: a summer day (warm afternoons, evening charging peak).</summary>
    public const long StartMs = 1_780_272_000_000;

    /// <summary>The issue's target types (fire, flood, falling object, thermal runaway): detected within 30 s.</summary>
    public static readonly string[] Urgent = ["fire-building", "manhole-flooded", "falling-object", "charger-thermal-runaway"];

    /// <summary>Every scenario with an expected incident that fits in a few hours, in injection order.</summary>
    public static readonly string[] Short =
    [
        "fire-building", "smouldering", "co-leak", "manhole-flooded", "manhole-lifted", "manhole-gas", "falling-object",
        "charger-thermal-runaway", "charger-overheat", "manhole-tilted", "manhole-displaced", "charger-overcurrent",
        "charger-leakage", "camera-blocked", "device-dead", "bad-input", "flapping",
    ];

    /// <summary>Runs <paramref name="hours"/> of the demo district from <see cref="StartMs"/>, injecting
    /// <paramref name="scenarios"/> one every <paramref name="everyMs"/> after <paramref name="warmupMs"/>.</summary>
    /// <param name="devices">Which demo devices to simulate (default all 423).</param>
    public static ScenarioReport Run(int seed, double hours, IReadOnlyList<string> scenarios, long warmupMs = 2 * HourMs, long everyMs = 15 * 60_000,
        Func<SimDevice, bool>? devices = null)
    {
        var (traffic, buildings) = Start(seed, scenarios, warmupMs, everyMs, devices);
        var instances = traffic.Instances.ToDictionary(i => i.Id);
        var truth = traffic.GroundTruth().Where(r => r.Expected != "none").Select(r => new GroundTruth(
            r.Instance, r.Expected == IncidentTypes.FireConfirmed ? null : r.Device, r.Building, r.StartMs, r.EndMs, r.Expected)
        {
            OnsetMs = instances[r.Instance].DeviceOnsetMs(Math.Max(0, instances[r.Instance].DeviceIds.ToList().IndexOf(r.Device))),
        }).ToList();
        var evaluator = new ScenarioEvaluator(id => buildings.GetValueOrDefault(id));
        return evaluator.Evaluate(Messages(traffic, StartMs + (long)(hours * HourMs)), truth);
    }

    /// <summary>The simulator with <paramref name="scenarios"/> injected as <see cref="Run"/> does, and each device's building.</summary>
    public static (TrafficEngine Traffic, Dictionary<string, string> Buildings) Start(int seed, IReadOnlyList<string> scenarios, long warmupMs,
        long everyMs, Func<SimDevice, bool>? devices = null)
    {
        var registry = DeviceRegistry.Demo().Where(devices ?? (_ => true)).ToList();
        var traffic = new TrafficEngine(registry, seed, StartMs);
        var library = ScenarioLibrary.Load();
        for (var i = 0; i < scenarios.Count; i++) traffic.Inject(library[scenarios[i]], StartMs + warmupMs + i * everyMs);
        return (traffic, registry.ToDictionary(d => d.Id, d => d.Device.BuildingId));
    }

    /// <summary>What the broker would deliver: valid publishes in simulated-time order (deliberately bad input is refused
    /// by the bridge before detection, so it is left out here).</summary>
    public static IEnumerable<RecordedMessage> Messages(TrafficEngine traffic, long endMs)
    {
        var batch = new List<SimMessage>();
        for (var t = StartMs; t < endMs; t += 10_000)
        {
            batch.Clear();
            traffic.Advance(t, batch);
            foreach (var m in batch)
                if (m.Action == SimAction.Publish && !m.Invalid && m.Topic.Length > 0)
                    yield return new RecordedMessage(m.SimMs, m.Topic, Encoding.UTF8.GetString(m.Payload));
        }
    }

    /// <summary>Largest delay among the detected outcomes of the given scenarios (s).</summary>
    public static double MaxDelay(ScenarioReport report, IEnumerable<string> scenarios, string? type = null) =>
        report.Outcomes.Where(o => o.Detected && (type is null || o.Truth.ExpectedType == type) && scenarios.Any(s => o.Truth.Scenario.StartsWith(s + "#", StringComparison.Ordinal)))
            .Select(o => o.DelaySeconds!.Value).DefaultIfEmpty(0).Max();

    /// <summary>Largest delay from a scenario's onset to the first alert of any type about it (what an operator sees
    /// first), over the instances of the given scenarios; +∞ when one raised nothing.</summary>
    public static double MaxFirstAlertFromOnset(ScenarioReport report, IEnumerable<string> scenarios) =>
        report.Outcomes.Where(o => scenarios.Any(s => o.Truth.Scenario.StartsWith(s + "#", StringComparison.Ordinal)))
            .GroupBy(o => o.Truth.Scenario)
            .Select(g => g.Min(o => o.FirstAnyFromOnsetSeconds ?? double.PositiveInfinity))
            .DefaultIfEmpty(0).Max();

    public static string Describe(ScenarioOutcome o) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{o.Truth.Scenario,-28} {o.Truth.DeviceId ?? o.Truth.BuildingId,-16} {o.Truth.ExpectedType,-26} first {o.FirstAnyAlert?.IncidentType ?? "-"} {o.FirstAnyAlert?.Severity.ToString() ?? ""} {o.FirstAnyFromOnsetSeconds,7:0.0} s from onset; expected type {(o.Detected ? $"{o.FirstAlert!.Severity} {o.DelayFromOnsetSeconds,7:0.0} s from onset ({o.DelaySeconds:0.0} s from its start), full severity {o.FullFromOnsetSeconds:0.0} s  {o.FirstAlert!.Reason}" : "NOT DETECTED")}");
}
