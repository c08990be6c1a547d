using FirmwareSim.Models;
using FirmwareSim.Registry;
using Smart.Core;

namespace FirmwareSim.Engine;

/// <summary>The firmware-side state of one simulated device: its model, random stream, <c>seq</c> counter and clock skew.</summary>
internal sealed class DeviceState
{
    public DeviceState(SimDevice device, SimEnvironment env, int seed, double intervalScale)
    {
        Device = device;
        Rng = StableRandom.For(seed, device.Id);
        Model = device.Kind switch
        {
            DeviceKind.Fire => new FireDetectorModel(env, Rng) { Interval = Scale(30) },
            DeviceKind.Manhole => new ManholeModel(env, Rng) { Interval = Scale(60) },
            DeviceKind.Camera => new CameraModel(Rng, device.Floors, device.Id) { Interval = Scale(60) },
            DeviceKind.Charger => new ChargerModel(env, Rng) { Interval = Scale(30) },
            _ => throw new ArgumentOutOfRangeException(nameof(device)),
        };
        ClockSkewMs = Rng.Next(-300, 301); // device RTCs drift; NTP keeps them within a fraction of a second
        TimeSpan Scale(double s) => TimeSpan.FromSeconds(s * intervalScale);
    }

    public SimDevice Device { get; }
    public IDeviceModel Model { get; }
    public Random Rng { get; }
    public long ClockSkewMs { get; }
    public long Seq { get; set; }
    public bool Dead { get; set; }
    public List<Scenarios.ScenarioInstance> Scenarios { get; } = [];

    /// <summary>Next sampling time: the nominal interval ±10 % jitter (firmware timers are not exact).</summary>
    public long NextSampleMs(long nowMs) => nowMs + (long)(Model.Interval.TotalMilliseconds * (0.9 + 0.2 * Rng.NextDouble()));

    public bool PortPowered(int port) => Model is not ChargerModel c || port < 1 || !c.Port(port).PowerCut;
}
