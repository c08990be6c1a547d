using FirmwareSim.Models;
using FirmwareSim.Scenarios;
using Smart.Core;

namespace FirmwareSim.Engine;

internal sealed partial class TrafficEngine
{
    /// <summary>One-off work at a simulated instant: a scenario event, a connectivity change or a bad message.</summary>
    private sealed record Scheduled(int Device, SimAction Action, ScenarioInstance? Instance = null, EventDefinition? Event = null, string? BadVariant = null);

    /// <summary>
    /// Places a scenario at <paramref name="onsetMs"/> on devices picked reproducibly (from the run seed and the
    /// injection count) among the devices of the target kind that are not already in a scenario.
    /// </summary>
    public ScenarioInstance Inject(ScenarioDefinition definition, long onsetMs, IReadOnlyList<string>? deviceIds = null)
    {
        var rng = StableRandom.For(_seed, 0x5CE7A410, _instances.Count);
        var targets = deviceIds is null ? PickTargets(definition.Target, onsetMs, rng) : deviceIds.Select(IndexOfId).ToList();
        var port = 0;
        if (_devices[targets[0]].Model is ChargerModel charger)
            port = definition.Target.Port is > 0 and var p && p <= charger.Ports ? p : 1 + rng.Next(charger.Ports);
        var instance = new ScenarioInstance(definition, $"{definition.Name}#{_instances.Count + 1}", onsetMs, targets, Registry, port);
        _instances.Add(instance);
        for (var n = 0; n < targets.Count; n++)
        {
            _devices[targets[n]].Scenarios.Add(instance);
            ScheduleFor(instance, n, targets[n]);
        }
        return instance;
    }

    public IEnumerable<GroundTruthRow> GroundTruth() => _instances.SelectMany(i => i.GroundTruth());

    private void ScheduleFor(ScenarioInstance s, int n, int device)
    {
        var onset = s.DeviceOnsetMs(n);
        var def = s.Definition;
        foreach (var e in def.Events)
            Schedule(onset + (long)(e.AtS * 1000), new Scheduled(device, SimAction.Publish, s, e));
        if (def.Connectivity is { Mode: "dead" })
        {
            Schedule(onset, new Scheduled(device, SimAction.Die, s));
            Schedule(s.EndMs, new Scheduled(device, SimAction.Revive, s));
        }
        else if (def.Connectivity is { Mode: "flap" } flap)
        {
            for (var t = onset; t < s.EndMs; t += (long)((flap.OfflineS + flap.OnlineS) * 1000))
            {
                Schedule(t, new Scheduled(device, SimAction.GoOffline, s));
                Schedule(Math.Min(s.EndMs, t + (long)(flap.OfflineS * 1000)), new Scheduled(device, SimAction.GoOnline, s));
            }
        }
        if (def.BadInput is { } bad)
            for (var i = 0; i < bad.Count; i++)
                Schedule(onset + (long)(i * bad.EveryS * 1000), new Scheduled(device, SimAction.Publish, s, BadVariant: bad.Variants[i % bad.Variants.Count]));
    }

    private void Schedule(long ms, Scheduled item) => _scheduled.Enqueue(item, (ms, _order++));

    private void Run(Scheduled item, long simMs, List<SimMessage> output)
    {
        var state = _devices[item.Device];
        switch (item.Action)
        {
            case SimAction.Die: state.Dead = true; output.Add(SimMessage.Control(simMs, item.Device, SimAction.Die)); return;
            case SimAction.Revive: state.Dead = false; output.Add(SimMessage.Control(simMs, item.Device, SimAction.Revive)); return;
            case SimAction.GoOffline or SimAction.GoOnline: output.Add(SimMessage.Control(simMs, item.Device, item.Action)); return;
        }
        if (state.Dead) return;
        if (item.BadVariant is { } variant)
        {
            output.Add(BadInput.Create(variant, simMs + state.ClockSkewMs, item.Device, Registry, state.Rng));
            return;
        }
        _readings.Clear();
        _readings.Add(BuildEvent(item, state, simMs));
        Emit(item.Device, simMs, output, periodic: true);
    }

    private static Reading BuildEvent(Scheduled item, DeviceState state, long simMs)
    {
        var e = item.Event!;
        Reading r;
        if (e.Type == "falling_object" && state.Model is CameraModel camera)
        {
            var confidence = e.Fields.TryGetValue("confidence", out var c) ? c.GetDouble() : 0.9;
            var floor = e.Fields.TryGetValue("floor", out var f) ? f.GetInt32() : 1 + state.Rng.Next(camera.Floors);
            r = camera.FallingObject(simMs, confidence, Math.Min(floor, camera.Floors), state.Rng);
        }
        else
        {
            var port = item.Instance!.Port;
            r = new Reading(TopicChannel.Event, port).Text("type", e.Type);
            if (port > 0) r.Number("port", port, 0);
            foreach (var (name, value) in e.Fields) r.SetFromJson(name, value);
        }
        return r;
    }

    private List<int> PickTargets(ScenarioTarget target, long onsetMs, Random rng)
    {
        var kind = DeviceKinds.Parse(target.Kind);
        var free = Enumerable.Range(0, _devices.Length)
            .Where(i => _devices[i].Device.Kind == kind && !_devices[i].Scenarios.Any(s => s.EndMs >= onsetMs))
            .ToList();
        var groups = target.SameBuilding
            ? free.GroupBy(i => _devices[i].Device.Device.BuildingId).Where(g => g.Count() >= target.Devices).Select(g => g.ToList()).ToList()
            : free.Count >= target.Devices ? [free] : [];
        if (groups.Count == 0)
            throw new InvalidOperationException($"No {target.Kind} devices free for a scenario needing {target.Devices}{(target.SameBuilding ? " in one building" : "")}; use more devices or fewer concurrent scenarios.");
        var group = groups[rng.Next(groups.Count)];
        var start = rng.Next(group.Count - target.Devices + 1);
        return group.GetRange(start, target.Devices);
    }

    private int IndexOfId(string id)
    {
        for (var i = 0; i < _devices.Length; i++)
            if (_devices[i].Device.Id == id) return i;
        throw new ArgumentException($"Device '{id}' is not in the registry.");
    }
}
