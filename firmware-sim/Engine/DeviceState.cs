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
            DeviceKind.Fire => new FireDetectorModel(env, Rng) { Interval = Scale(30), Reporting = FireDetectorModel.Policy(intervalScale) },
            DeviceKind.Manhole => new ManholeModel(env, Rng) { Interval = Scale(60), Reporting = ManholeModel.Policy(intervalScale) },
            DeviceKind.Camera => new CameraModel(Rng, device.Floors, device.Id) { Interval = Scale(60) },
            DeviceKind.Charger => new ChargerModel(env, Rng) { Interval = Scale(30), Reporting = ChargerModel.Policy(intervalScale) },
            _ => throw new ArgumentOutOfRangeException(nameof(device)),
        };
        FastMove = Model.Reporting.Fast is { } fast ? new Firmware.FastMoveTracker(fast) : null;
        ClockSkewMs = Rng.Next(-300, 301); // device RTCs drift; NTP keeps them within a fraction of a second
        TimeSpan Scale(double s) => TimeSpan.FromSeconds(s * intervalScale);
    }

    public SimDevice Device { get; }
    public IDeviceModel Model { get; }
    public Random Rng { get; }
    public long ClockSkewMs { get; }
    /// <summary>Densified reporting state, when the firmware has it (<see cref="Firmware.ReportPolicy.Fast"/>).</summary>
    public Firmware.FastMoveTracker? FastMove { get; }
    public long Seq { get; set; }
    public bool Dead { get; set; }
    public List<Scenarios.ScenarioInstance> Scenarios { get; } = [];
    /// <summary>When the next periodic report is due.</summary>
    public long NextReportMs { get; set; }
    /// <summary>The last published telemetry of each channel (port; 0 for single-channel devices) and when.</summary>
    public Dictionary<int, (long Ms, Field[] Fields)> LastReports { get; } = [];

    /// <summary>Next periodic report: the nominal interval ±10 % jitter (firmware timers are not exact).</summary>
    public long NextReportAfter(long nowMs) => nowMs + (long)(Model.Interval.TotalMilliseconds * (0.9 + 0.2 * Rng.NextDouble()));

    /// <summary>Next local sample: the sampling period, or the periodic report if that comes first.</summary>
    public long NextSampleMs(long nowMs) => Math.Min(nowMs + Math.Max(1, Model.Reporting.SamplePeriodMs), NextReportMs);

    /// <summary>Whether a sampled telemetry reading is published: at a periodic report always, else while the firmware is
    /// in fast mode (every sample sees the fast-move rule) or when its report-on-change rule says so.</summary>
    public bool ShouldReport(Reading r, long simMs, bool periodic)
    {
        var fast = FastMove?.Observe(r) ?? false;
        return periodic || fast || !LastReports.TryGetValue(r.Port, out var last) || Model.Reporting.ShouldReport(r, simMs, last.Ms, last.Fields);
    }

    public bool PortPowered(int port) => Model is not ChargerModel c || port < 1 || !c.Port(port).PowerCut;
}
