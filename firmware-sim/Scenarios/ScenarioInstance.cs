using System.Text.Json;
using FirmwareSim.Models;
using FirmwareSim.Registry;

namespace FirmwareSim.Scenarios;

/// <summary>A scenario placed in time on concrete devices; applies its effects to their readings.</summary>
public sealed class ScenarioInstance
{
    private readonly Dictionary<(int Device, string Metric), double> _held = [];

    internal ScenarioInstance(ScenarioDefinition definition, string id, long onsetMs, IReadOnlyList<int> devices,
        IReadOnlyList<SimDevice> registry, int port)
    {
        Definition = definition;
        Id = id;
        OnsetMs = onsetMs;
        Devices = devices;
        DeviceIds = devices.Select(i => registry[i].Id).ToList();
        Building = registry[devices[0]].Device.BuildingId;
        Kind = registry[devices[0]].Kind.ToString().ToLowerInvariant();
        Port = port;
    }

    public ScenarioDefinition Definition { get; }
    public string Id { get; }
    public long OnsetMs { get; }
    public long EndMs => OnsetMs + (long)(Definition.DurationS * 1000);
    internal IReadOnlyList<int> Devices { get; }
    public IReadOnlyList<string> DeviceIds { get; }
    public string Building { get; }
    public string Kind { get; }
    public int Port { get; }

    /// <summary>Onset for the n-th target device (fire spreading with <c>stagger_s</c>).</summary>
    public long DeviceOnsetMs(int n) => OnsetMs + (long)(n * Definition.StaggerS * 1000);

    public IEnumerable<GroundTruthRow> GroundTruth()
    {
        foreach (var x in Definition.Expect)
        {
            var offset = (long)(x.OffsetS * 1000);
            if (x.Per == "device")
                for (var n = 0; n < DeviceIds.Count; n++)
                    yield return Row(DeviceIds[n], DeviceOnsetMs(n) + offset, x.Type);
            else
                yield return Row(DeviceIds[0], OnsetMs + offset, x.Type);
        }
    }

    private GroundTruthRow Row(string device, long start, string type) =>
        new(Definition.Name, Id, device, Kind, Building, Port, start, EndMs, type);

    /// <summary>Applies the effects active at <paramref name="simMs"/> to one of the target's readings.</summary>
    internal void Apply(int device, Reading reading, long simMs, Random rng, Func<int, bool> portPowered)
    {
        var n = IndexOf(device);
        if (n < 0 || simMs > EndMs) return;
        if (reading.Port != 0 && reading.Port != Port) return;
        foreach (var e in Definition.Effects)
        {
            var t = simMs - DeviceOnsetMs(n) - (long)(e.StartS * 1000);
            if (t < 0 || (e.EndS is { } end && simMs - DeviceOnsetMs(n) > end * 1000)) continue;
            if (e.RequiresPower && !portPowered(reading.Port)) continue;
            if (!reading.TryGetNumber(e.Metric, out var normal) && e.Op != "set") continue;
            var progress = e.RampS <= 0 ? 1 : Math.Min(1, t / (e.RampS * 1000));
            var noise = 1 + Gaussian.Next(rng) * e.NoisePct / 100;
            switch (e.Op)
            {
                case "set": reading.SetFromJson(e.Metric, e.Value); break;
                case "hold": reading.SetNumber(e.Metric, Held(device, e.Metric, normal)); break;
                case "add": reading.SetNumber(e.Metric, normal + e.Value.GetDouble() * progress * noise); break;
                case "ramp_to": reading.SetNumber(e.Metric, normal + (e.Value.GetDouble() * noise - normal) * progress); break;
                case "exp_to":
                    // Self-heating: slow at first, then accelerating (thermal runaway), capped at the target.
                    var shaped = (Math.Exp(3 * progress) - 1) / (Math.Exp(3) - 1);
                    reading.SetNumber(e.Metric, normal + (e.Value.GetDouble() * noise - normal) * shaped);
                    break;
            }
        }
    }

    internal int IndexOf(int device)
    {
        for (var i = 0; i < Devices.Count; i++)
            if (Devices[i] == device) return i;
        return -1;
    }

    private double Held(int device, string metric, double normal)
    {
        if (!_held.TryGetValue((device, metric), out var v)) _held[(device, metric)] = v = normal;
        return v;
    }
}
