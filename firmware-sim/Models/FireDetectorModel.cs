using FirmwareSim.Firmware;
using Smart.Core;

namespace FirmwareSim.Models;

/// <summary>
/// 烟感/温感: a photoelectric smoke, heat and CO detector in a flat. Room temperature follows the outdoor daily cycle
/// damped by the building; smoke and CO sit near zero with sensor noise; a lithium battery lasts about 3 years. The flat's
/// warmth, the chamber's clean-air bias, the battery and radio link come from <paramref name="site"/> (the same in every run).
/// </summary>
internal sealed class FireDetectorModel(SimEnvironment env, Random rng, Random site) : IDeviceModel
{
    /// <summary>Local alarm thresholds: smoke 3 %/m obscuration (EN 14604 alarms trip at about 0.1–0.2 dB/m,
    /// i.e. 2.3–4.5 %/m), 57 °C fixed heat (EN 54-5 class A1 static response 54–65 °C), CO 300 ppm (EN 50291 fast alarm).</summary>
    private const double AlarmSmokePctPerM = 3, AlarmTempC = 57, AlarmCoPpm = 300;
    /// <summary>Hush after <c>silence</c>: EN 14604 allows at most 10 minutes.</summary>
    private const long HushMs = 10 * 60_000;

    private readonly double _roomOffsetC = site.NextDouble() * 3 - 1;
    private readonly double _smokeBias = site.NextDouble() * 0.03;
    private readonly DeviceHealth _health = new(site, 0.09);
    private long _hushUntilMs = long.MinValue;

    public DeviceKind Kind => DeviceKind.Fire;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);
    public ReportPolicy Reporting { get; init; } = Policy(1);

    /// <summary>Smoke-alarm ASICs sample the optical chamber about every 10 s in standby (e.g. Microchip's RE46C190
    /// family), so the firmware sees a change within 10 s and, being battery powered, sends one
    /// report per sample at most. Between periodic reports it reports a move of 0.5 %/m smoke (a sixth of its own
    /// alarm level), 0.5 °C or 10 ppm CO; its own alarm going on or off is reported at once.</summary>
    public static ReportPolicy Policy(double scale) => ReportPolicy.Of(10, 10, Deltas, scale);

    private static readonly Dictionary<string, double> Deltas = new(StringComparer.Ordinal)
    {
        ["smoke_pct_per_m"] = 0.5, ["temp_c"] = 0.5, ["co_ppm"] = 10,
    };
    /// <summary>Set by the engine after overlays so the local alarm reflects injected smoke/heat.</summary>
    public bool Hushed(long simMs) => simMs < _hushUntilMs;

    public void Sample(long simMs, List<Reading> output)
    {
        var room = 22 + 0.35 * (env.OutdoorTempC(simMs) - 18) + _roomOffsetC + Gaussian.Next(rng) * 0.1;
        var r = new Reading(TopicChannel.Telemetry)
            .Number("smoke_pct_per_m", Math.Max(0, _smokeBias + Gaussian.Next(rng) * 0.01), 3)
            .Number("temp_c", room, 2)
            .Number("co_ppm", Math.Max(0, 1 + Gaussian.Next(rng) * 0.8), 1)
            .Bool("alarm", false);
        _health.Append(r, simMs, rng);
        output.Add(r);
    }

    /// <summary>The detector's own alarm decision, evaluated after scenario overlays changed the readings.</summary>
    public void EvaluateAlarm(Reading r, long simMs)
    {
        if (r.Channel != TopicChannel.Telemetry) return;
        r.TryGetNumber("smoke_pct_per_m", out var smoke);
        r.TryGetNumber("temp_c", out var temp);
        r.TryGetNumber("co_ppm", out var co);
        var alarm = smoke >= AlarmSmokePctPerM || temp >= AlarmTempC || co >= AlarmCoPpm;
        if (Hushed(simMs) && temp < AlarmTempC) alarm = false; // hush never silences heat (EN 14604 §5.3 intent)
        r.Bool("alarm", alarm);
    }

    public void Command(string cmd, int port, long simMs, List<Reading> output)
    {
        if (cmd != "silence") return;
        _hushUntilMs = simMs + HushMs;
        Sample(simMs, output); // report at once so the centre sees the alarm drop

    }
}
