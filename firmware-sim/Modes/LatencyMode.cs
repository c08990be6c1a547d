using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FirmwareSim.Hub;
using FirmwareSim.Scenarios;
using Smart.Core;
using Spectre.Console;

namespace FirmwareSim.Modes;

/// <summary>What <c>latency</c> measures.</summary>
public sealed record LatencySettings(Uri HubUrl, string? AccessToken, string Scenario, int Samples, TimeSpan Every, TimeSpan Timeout);

/// <summary>Publish → incident latencies in milliseconds, one per sample that produced an incident in time.</summary>
public sealed record LatencyReport(IReadOnlyList<double> LatenciesMs, int Missed, double BackgroundMsgsPerSecond)
{
    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0) return double.NaN;
        var sorted = LatenciesMs.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)]; // nearest-rank
    }

    public double Max => LatenciesMs.Count == 0 ? double.NaN : LatenciesMs.Max();
}

/// <summary>
/// <c>latency</c>: while the fleet sends its normal background traffic, injects a scenario again and again and times
/// each from the moment its triggering message is handed to the device (first message at or after the ground-truth
/// start) to the moment the hub pushes an <c>incident</c> event of the expected type for that device.
/// </summary>
public static class LatencyMode
{
    public static async Task<LatencyReport> MeasureAsync(Simulator sim, LatencySettings settings, CancellationToken ct = default)
    {
        var definition = sim.Scenarios[settings.Scenario];
        var candidates = sim.Devices.Where(d => d.Kind.Name() == definition.Target.Kind).Select(d => d.Id).ToList();
        if (candidates.Count < definition.Target.Devices)
            throw new ArgumentException($"Scenario {settings.Scenario} needs {definition.Target.Devices} {definition.Target.Kind} device(s).");
        await using var hub = await HubClient.ConnectAsync(settings.HubUrl, settings.AccessToken, ct).ConfigureAwait(false);
        var pending = new ConcurrentDictionary<string, Sample>();
        void OnDispatched(SimulatedMessage m)
        {
            if (pending.TryGetValue(m.DeviceId, out var s) && s.PublishedTicks == 0 && m.SimMs >= s.TriggerSimMs)
                s.PublishedTicks = Stopwatch.GetTimestamp();
        }
        sim.Dispatched += OnDispatched;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var matcher = Task.Run(() => MatchIncidentsAsync(hub, pending, stop.Token), CancellationToken.None);
        try
        {
            if (!sim.Clock.Running) await sim.StartAsync(ct).ConfigureAwait(false);
            var startPublished = sim.Stats.Published;
            var wall = Stopwatch.StartNew();
            var latencies = new List<double>();
            for (var i = 0; i < settings.Samples && !ct.IsCancellationRequested; i++)
            {
                // Round-robin over the devices of the kind: a sample may reuse a device whose previous scenario still runs.
                var targets = Enumerable.Range(0, definition.Target.Devices).Select(k => candidates[(i * definition.Target.Devices + k) % candidates.Count]).ToList();
                if (await MeasureOneAsync(sim, definition, targets, pending, settings, $"{i + 1,3}/{settings.Samples}", ct).ConfigureAwait(false) is { } ms)
                    latencies.Add(ms);
                await Task.Delay(settings.Every, ct).ConfigureAwait(false);
            }
            return new LatencyReport(latencies, settings.Samples - latencies.Count, (sim.Stats.Published - startPublished) / wall.Elapsed.TotalSeconds);
        }
        finally
        {
            sim.Dispatched -= OnDispatched;
            await stop.CancelAsync().ConfigureAwait(false);
            await matcher.ConfigureAwait(false);
        }
    }

    /// <summary>One onset: milliseconds from its triggering publish to the matching hub event, or null on timeout.</summary>
    private static async Task<double?> MeasureOneAsync(Simulator sim, ScenarioDefinition definition, List<string> targets,
        ConcurrentDictionary<string, Sample> pending, LatencySettings settings, string label, CancellationToken ct)
    {
        var truth = sim.Inject(definition, deviceIds: targets).GroundTruth().First();
        var sample = new Sample(truth.Device, truth.Expected, truth.StartMs);
        pending[truth.Device] = sample;
        var done = await Task.WhenAny(sample.Incident.Task, Task.Delay(settings.Timeout, ct)).ConfigureAwait(false);
        pending.TryRemove(truth.Device, out _);
        if (done != sample.Incident.Task || sample.PublishedTicks == 0)
        {
            AnsiConsole.MarkupLine($"{label} {Markup.Escape(truth.Device)} {truth.Expected}: [red]no incident within {settings.Timeout.TotalSeconds:F0} s[/]");
            return null;
        }
        var ms = Stopwatch.GetElapsedTime(sample.PublishedTicks, await sample.Incident.Task.ConfigureAwait(false)).TotalMilliseconds;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{label} {Markup.Escape(truth.Device)} {truth.Expected}: [green]{ms:F1} ms[/]"));
        return ms;
    }

    private sealed class Sample(string device, string type, long triggerSimMs)
    {
        public string Device { get; } = device;
        public string Type { get; } = type;
        public long TriggerSimMs { get; } = triggerSimMs;
        public long PublishedTicks;
        public TaskCompletionSource<long> Incident { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static async Task MatchIncidentsAsync(HubClient hub, ConcurrentDictionary<string, Sample> pending, CancellationToken ct)
    {
        try
        {
            await foreach (var call in hub.Invocations.ReadAllAsync(ct).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                if (call.Target != "incident" || call.Arguments.Length == 0) continue;
                var incident = call.Arguments[0].GetProperty("incident");
                var type = incident.GetProperty("type").GetString();
                foreach (var device in Devices(incident))
                    if (pending.TryGetValue(device, out var s) && s.Type == type) s.Incident.TrySetResult(now);
            }
        }
        catch (OperationCanceledException) { }
    }

    private static IEnumerable<string> Devices(JsonElement incident)
    {
        if (incident.TryGetProperty("deviceId", out var d) && d.ValueKind == JsonValueKind.String) yield return d.GetString()!;
        if (incident.TryGetProperty("deviceIds", out var ds) && ds.ValueKind == JsonValueKind.Array)
            foreach (var x in ds.EnumerateArray()) if (x.ValueKind == JsonValueKind.String) yield return x.GetString()!;
    }
}
