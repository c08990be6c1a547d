using FirmwareSim.Firmware;
using Smart.Core;

namespace FirmwareSim.Models;

/// <summary>
/// 智能井盖: a sewer manhole cover with an inclinometer, a displacement sensor, an ultrasonic level gauge
/// (distance from the lid down to the water) and CH4/H2S cells. Rain raises the water with a lag.
/// </summary>
internal sealed class ManholeModel(SimEnvironment env, Random rng) : IDeviceModel
{
    /// <summary>Catchment response: 1 mm/h of rain lifts the level by about 4 cm at equilibrium, time constant 40 min.</summary>
    private const double CmPerMmHour = 4, TauS = 40 * 60;

    private readonly double _dryDistanceCm = 120 + rng.NextDouble() * 80;
    private readonly double _tiltBias = rng.NextDouble() * 0.8;
    private readonly DeviceHealth _health = new(rng, 0.05);
    private double _riseCm;
    private long _lastMs = -1;

    public DeviceKind Kind => DeviceKind.Manhole;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);
    public ReportPolicy Reporting { get; init; } = Policy(1);

    /// <summary>A battery-powered NB-IoT cover samples its inclinometer, displacement and level sensors every 10 s and
    /// keeps at least 30 s between uplinks (airtime and battery); between periodic reports it reports a move of 1° of
    /// tilt, 5 mm of displacement, 2 cm of water (four times the gauge's noise), 2 %LEL CH4 or 2 ppm H2S; the lid
    /// opening or closing at once. Densified reporting (加密上报, as flood-monitoring manhole and sewer level gauges
    /// switch to a short reporting period while the level changes fast): while the mean of the last 3 water samples
    /// (30 s) is ≥ 1.5 cm closer to the lid than the mean of the 3 before, the cover reports every sample (10 s). 1.5 cm
    /// between two 30-s means is 3 cm/min: above the fastest rise rain gives this catchment (~2 cm/min, see
    /// <see cref="CmPerMmHour"/>; at that peak noise puts about one sample in nine into fast mode), below the 5 cm/min of
    /// a surcharge the host must catch. Gauge noise alone cannot hold the mode: the difference of two means of 3 samples
    /// has σ = 0.5·√(2/3) ≈ 0.41 cm, so 1.5 cm is 3.7σ (about one sample a day, reported alone); the mode ends two
    /// samples after the water stops moving that fast (the newer mean then holds no rising sample).</summary>
    public static ReportPolicy Policy(double scale) => ReportPolicy.Of(10, 30, Deltas, scale, new FastMove("water_level_cm", -1, 3, 1.5));

    private static readonly Dictionary<string, double> Deltas = new(StringComparer.Ordinal)
    {
        ["tilt_deg"] = 1, ["displacement_mm"] = 5, ["water_level_cm"] = 2, ["ch4_pct_lel"] = 2, ["h2s_ppm"] = 2,
    };

    public void Sample(long simMs, List<Reading> output)
    {
        if (_lastMs >= 0)
        {
            _riseCm = RainRise(_riseCm, env.RainMmPerHour(simMs), (simMs - _lastMs) / 1000.0);
        }
        _lastMs = simMs;
        var r = new Reading(TopicChannel.Telemetry)
            .Number("tilt_deg", Math.Abs(_tiltBias + Gaussian.Next(rng) * 0.05), 2)
            .Number("displacement_mm", Math.Abs(Gaussian.Next(rng) * 0.3), 1)
            .Number("water_level_cm", Math.Max(0, _dryDistanceCm - _riseCm + Gaussian.Next(rng) * 0.5), 1)
            .Number("ch4_pct_lel", Math.Max(0, 0.5 + Gaussian.Next(rng) * 0.3), 2)
            .Number("h2s_ppm", Math.Max(0, 0.2 + Gaussian.Next(rng) * 0.15), 2)
            .Bool("lid_open", false);
        _health.Append(r, simMs, rng);
        output.Add(r);
    }

    /// <summary>The catchment's first-order lag: the rise (cm above the dry level) after <paramref name="dtS"/> seconds of
    /// <paramref name="rainMmPerHour"/>.</summary>
    internal static double RainRise(double riseCm, double rainMmPerHour, double dtS) =>
        riseCm + (CmPerMmHour * rainMmPerHour - riseCm) * (1 - Math.Exp(-dtS / TauS));

    public void Command(string cmd, int port, long simMs, List<Reading> output) { }
}
