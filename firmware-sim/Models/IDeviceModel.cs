using Smart.Core;

namespace FirmwareSim.Models;

/// <summary>
/// The physics and firmware logic of one device kind. <see cref="Sample"/> is called at the device's local sampling
/// times (simulated clock) and appends one reading per channel (a charger reports each port) plus any events; the
/// engine publishes a reading when <see cref="Reporting"/> says so (periodic report or significant change).
/// </summary>
internal interface IDeviceModel
{
    DeviceKind Kind { get; }
    /// <summary>Nominal periodic-report (heartbeat) interval; the firmware adds jitter.</summary>
    TimeSpan Interval { get; }
    /// <summary>Local sampling and report-on-change between periodic reports.</summary>
    Firmware.ReportPolicy Reporting { get; }
    void Sample(long simMs, List<Reading> output);
    /// <summary>Handles a <c>command</c> message; appends what the device reports in response.</summary>
    void Command(string cmd, int port, long simMs, List<Reading> output);
}

/// <summary>Battery and radio link shared by battery-powered devices; <paramref name="site"/> draws the battery's charge at
/// the start and the link's mean level.</summary>
internal sealed class DeviceHealth(Random site, double drainPctPerDay)
{
    private double _battery = 55 + site.NextDouble() * 45;
    private readonly double _rssiBase = -95 + site.NextDouble() * 40;
    private long _lastMs = -1;

    public void Append(Reading reading, long simMs, Random sampleRng)
    {
        if (_lastMs >= 0) _battery = Math.Max(0, _battery - drainPctPerDay * (simMs - _lastMs) / 86_400_000.0);
        _lastMs = simMs;
        reading.Number("battery_pct", Math.Round(_battery, 1), 1);
        reading.Number("rssi_dbm", Math.Round(_rssiBase + Gaussian.Next(sampleRng) * 2), 0);
    }
}

internal static class Gaussian
{
    /// <summary>Standard normal sample (Box–Muller).</summary>
    public static double Next(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
