using System.Text.Json;
using FirmwareSim.Models;
using FirmwareSim.Registry;
using FirmwareSim.Scenarios;
using Smart.Core;

namespace FirmwareSim.Engine;

/// <summary>
/// Deterministic traffic: given the registry, a seed and the injected scenarios, <see cref="Advance"/> yields the same
/// messages in the same order on every run. Not thread-safe; the runner serialises calls.
/// </summary>
internal sealed partial class TrafficEngine
{
    private readonly DeviceState[] _devices;
    private readonly PriorityQueue<int, (long Ms, int Device)> _sampling = new();
    private readonly PriorityQueue<Scheduled, (long Ms, long Order)> _scheduled = new();
    private readonly List<ScenarioInstance> _instances = [];
    private readonly List<Reading> _readings = [];
    private readonly List<(long Ms, Field[] Fields)> _publish = [];
    private readonly int _seed;
    private long _order;

    public TrafficEngine(IReadOnlyList<SimDevice> registry, int seed, long startMs, double intervalScale = 1)
    {
        Registry = registry;
        _seed = seed;
        var env = new SimEnvironment(seed);
        _devices = registry.Select(d => new DeviceState(d, env, seed, intervalScale)).ToArray();
        for (var i = 0; i < _devices.Length; i++)
        {
            // Devices were powered on at different times: spread first samples over one interval.
            var first = startMs + (long)(_devices[i].Model.Interval.TotalMilliseconds * _devices[i].Rng.NextDouble());
            _devices[i].NextReportMs = _devices[i].NextFullMs = first;
            _sampling.Enqueue(i, (first, i));
        }
    }

    public IReadOnlyList<SimDevice> Registry { get; }
    public IReadOnlyList<ScenarioInstance> Instances => _instances;
    public long SeqOf(int device) => _devices[device].Seq;
    internal IDeviceModel ModelOf(int device) => _devices[device].Model;

    /// <summary>Everything due up to <paramref name="untilMs"/> (inclusive), in simulated-time order.</summary>
    public void Advance(long untilMs, List<SimMessage> output)
    {
        while (true)
        {
            var hasSample = _sampling.TryPeek(out var device, out var sampleAt);
            var hasScheduled = _scheduled.TryPeek(out var item, out var scheduledAt);
            if (hasScheduled && scheduledAt.Ms <= untilMs && (!hasSample || scheduledAt.Ms <= sampleAt.Ms))
            {
                _scheduled.Dequeue();
                Run(item!, scheduledAt.Ms, output);
            }
            else if (hasSample && sampleAt.Ms <= untilMs)
            {
                _sampling.Dequeue();
                var state = _devices[device];
                var periodic = sampleAt.Ms >= state.NextReportMs;
                var full = periodic || sampleAt.Ms >= state.NextFullMs;
                if (periodic) state.NextReportMs = state.NextReportAfter(sampleAt.Ms);
                if (full) Sample(device, sampleAt.Ms, periodic, output);
                else SampleLevel(device, sampleAt.Ms, output);
                _sampling.Enqueue(device, (state.NextSampleMs(sampleAt.Ms, full), device));
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>A <c>command</c> message arrived for a device: the firmware acts on it and reports at once.</summary>
    public void Command(int device, ReadOnlySpan<byte> payload, long simMs, List<SimMessage> output)
    {
        string? cmd;
        int port;
        try
        {
            using var doc = JsonDocument.Parse(payload.ToArray());
            cmd = doc.RootElement.TryGetProperty("cmd", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            port = doc.RootElement.TryGetProperty("port", out var p) && p.TryGetInt32(out var pv) ? pv : 0;
        }
        catch (JsonException)
        {
            return; // firmware ignores a command it cannot parse
        }
        if (cmd is null) return;
        var state = _devices[device];
        _readings.Clear();
        state.Model.Command(cmd, port, simMs, _readings);
        Emit(device, simMs, output, periodic: true);
    }

    /// <summary>A local sample; its telemetry is published when <paramref name="periodic"/> (the heartbeat is due) or
    /// when the firmware's report-on-change rule fires. Events always go out.</summary>
    private void Sample(int device, long simMs, bool periodic, List<SimMessage> output)
    {
        var state = _devices[device];
        if (state.Dead) return;
        state.Scenarios.RemoveAll(s => simMs > s.EndMs);
        _readings.Clear();
        foreach (var s in state.Scenarios) StartForcedSession(s, state, device, simMs);
        state.Model.Sample(simMs, _readings);
        Emit(device, simMs, output, periodic);
    }

    /// <summary>A dense level sample between samples of all sensors (<see cref="Firmware.DenseLevel"/>): published, with
    /// the other sensors' latest values, only when the level's fast mode says so.</summary>
    private void SampleLevel(int device, long simMs, List<SimMessage> output)
    {
        var state = _devices[device];
        if (state.Dead || state.LastFullSample is not { } latest || state.Model is not ManholeModel manhole) return;
        state.Scenarios.RemoveAll(s => simMs > s.EndMs);
        var level = manhole.SampleLevel(simMs);
        foreach (var s in state.Scenarios) s.Apply(device, level, simMs, state.DenseRng, state.PortPowered);
        var field = state.Dense!.Rule.Field;
        level.TryGetNumber(field, out var value);
        var fields = latest.Select(f => f.Name == field ? f with { Value = value } : f).ToArray();
        Publish(device, simMs, fields, reportAnyway: false, output);
    }

    private void Emit(int device, long simMs, List<SimMessage> output, bool periodic)
    {
        var state = _devices[device];
        foreach (var r in _readings)
        {
            foreach (var s in state.Scenarios) s.Apply(device, r, simMs, state.Rng, state.PortPowered);
            if (state.Model is FireDetectorModel fire) fire.EvaluateAlarm(r, simMs);
            if (r.Channel == TopicChannel.Telemetry)
            {
                var report = state.ShouldReport(r, simMs, periodic);
                if (state.Dense is not null)
                {
                    state.LastFullSample = [.. r.Fields];
                    Publish(device, simMs, state.LastFullSample, report, output);
                    continue;
                }
                if (!report) continue;
                state.LastReports[r.Port] = (simMs, [.. r.Fields]);
            }
            var payload = PayloadWriter.Write(r, simMs + state.ClockSkewMs, ++state.Seq);
            output.Add(new SimMessage(simMs, device, SimAction.Publish, state.Device.Topic(r.Channel), payload));
        }
    }

    /// <summary>A telemetry sample of a dense-level device: what its firmware publishes now (kept samples first, each
    /// with its own <c>ts</c>), see <see cref="Firmware.DenseLevelUplink"/>.</summary>
    private void Publish(int device, long simMs, Field[] fields, bool reportAnyway, List<SimMessage> output)
    {
        var state = _devices[device];
        _publish.Clear();
        state.Dense!.Take(simMs, fields, reportAnyway, _publish);
        foreach (var (ms, sample) in _publish)
        {
            state.LastReports[0] = (ms, sample);
            var payload = PayloadWriter.Write(sample, ms + state.ClockSkewMs, ++state.Seq);
            output.Add(new SimMessage(simMs, device, SimAction.Publish, state.Device.Topic(TopicChannel.Telemetry), payload));
        }
    }

    private void StartForcedSession(ScenarioInstance s, DeviceState state, int device, long simMs)
    {
        if (!s.Definition.Target.ForceCharging || state.Model is not ChargerModel charger) return;
        if (simMs < s.DeviceOnsetMs(s.IndexOf(device))) return;
        if (charger.Port(s.Port).ForceCharging(simMs, state.Rng))
            _readings.Add(new Reading(TopicChannel.Event, s.Port).Text("type", "plug_in").Number("port", s.Port, 0));
    }
}
