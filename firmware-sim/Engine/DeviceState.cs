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
        var site = StableRandom.For(SiteSeed, device.Id, SiteSalt);
        Model = device.Kind switch
        {
            DeviceKind.Fire => new FireDetectorModel(env, Rng, site) { Interval = Scale(30), Reporting = FireDetectorModel.Policy(intervalScale) },
            DeviceKind.Manhole => new ManholeModel(env, Rng, StableRandom.For(seed, device.Id, GaugeSalt), site) { Interval = Scale(60), Reporting = ManholeModel.Policy(intervalScale) },
            DeviceKind.Camera => new CameraModel(Rng, device.Floors, device.Id) { Interval = Scale(60) },
            DeviceKind.Charger => new ChargerModel(env, Rng, site) { Interval = Scale(30), Reporting = ChargerModel.Policy(intervalScale) },
            _ => throw new ArgumentOutOfRangeException(nameof(device)),
        };
        Dense = Model.Reporting.Dense is { } dense ? new Firmware.DenseLevelUplink(dense) : null;
        DenseRng = Dense is null ? Rng : StableRandom.For(seed, device.Id, DenseSalt);
        ClockSkewMs = Rng.Next(-300, 301); // device RTCs drift; NTP keeps them within a fraction of a second
        TimeSpan Scale(double s) => TimeSpan.FromSeconds(s * intervalScale);
    }

    public SimDevice Device { get; }
    public IDeviceModel Model { get; }
    public Random Rng { get; }
    /// <summary>The random stream of scenario effects on dense level samples (the 10-s samples keep <see cref="Rng"/>).</summary>
    public Random DenseRng { get; }
    public long ClockSkewMs { get; }
    /// <summary>Dense level sampling and reporting, when the firmware has it (<see cref="Firmware.ReportPolicy.Dense"/>).</summary>
    public Firmware.DenseLevelUplink? Dense { get; }
    /// <summary>The fields of the last sample of all sensors (a dense level sample carries them with its own level).</summary>
    public Field[]? LastFullSample { get; set; }
    /// <summary>When the next sample of all sensors is due (every sample when the device has no dense level).</summary>
    public long NextFullMs { get; set; }
    public long Seq { get; set; }
    public bool Dead { get; set; }
    public List<Scenarios.ScenarioInstance> Scenarios { get; } = [];
    /// <summary>When the next periodic report is due.</summary>
    public long NextReportMs { get; set; }
    /// <summary>The last published telemetry of each channel (port; 0 for single-channel devices) and when.</summary>
    public Dictionary<int, (long Ms, Field[] Fields)> LastReports { get; } = [];

    /// <summary>Next periodic report: the nominal interval ±10 % jitter (firmware timers are not exact).</summary>
    public long NextReportAfter(long nowMs) => nowMs + (long)(Model.Interval.TotalMilliseconds * (0.9 + 0.2 * Rng.NextDouble()));

    /// <summary>Next local sample after a sample at <paramref name="nowMs"/> (<paramref name="full"/>: of all sensors): all
    /// sensors every sampling period, or at the periodic report if that comes first; a dense level in between.</summary>
    public long NextSampleMs(long nowMs, bool full)
    {
        if (full) NextFullMs = Math.Min(nowMs + Math.Max(1, Model.Reporting.SamplePeriodMs), NextReportMs);
        return Dense is null ? NextFullMs : Math.Min(nowMs + Math.Max(1, Dense.Rule.SamplePeriodMs), NextFullMs);
    }

    /// <summary>Whether a sample of all sensors is reported for itself: at a periodic report always, else when the
    /// report-on-change rule says so (a dense level may report it too, see <see cref="Dense"/>).</summary>
    public bool ShouldReport(Reading r, long simMs, bool periodic) =>
        periodic || !LastReports.TryGetValue(r.Port, out var last) || Model.Reporting.ShouldReport(r, simMs, last.Ms, last.Fields);

    private const long GaugeSalt = 0x9A09E, DenseSalt = 0xDE75E, SiteSalt = 0x517E;
    /// <summary>A device's site (how deep its sewer runs, its flat's warmth, its radio link, its battery when the run
    /// starts) is drawn from its id alone, the same in every run: a host that saw a run with one seed sees the same
    /// devices in the next. Weather, noise and scenarios follow the run's seed. (A seed-drawn site moved every cover's
    /// water by up to 80 cm when the demo was restarted with another seed: a false flood warning on half the covers.)</summary>
    private const int SiteSeed = 0;

    public bool PortPowered(int port) => Model is not ChargerModel c || port < 1 || !c.Port(port).PowerCut;
}
