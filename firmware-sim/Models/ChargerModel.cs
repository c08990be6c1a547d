using FirmwareSim.Firmware;
using Smart.Core;

namespace FirmwareSim.Models;

/// <summary>
/// 电动自行车充电桩: a charging station with several ports. Riders plug in mostly in the evening; each port reports its
/// own telemetry line (<c>port</c> field) every interval, and <c>plug_in</c> / <c>plug_out</c> events. The wiring's leakage
/// bias comes from <paramref name="site"/> (the same in every run).
/// </summary>
internal sealed class ChargerModel(SimEnvironment env, Random rng, Random site, int ports = 4) : IDeviceModel
{
    private readonly ChargerPort[] _ports = Enumerable.Range(0, ports).Select(_ => new ChargerPort()).ToArray();
    private readonly double _leakBiasMa = 0.3 + site.NextDouble() * 0.7;
    private long _lastMs = -1;

    public DeviceKind Kind => DeviceKind.Charger;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);
    public ReportPolicy Reporting { get; init; } = Policy(1);

    /// <summary>A mains-powered station meters each port continuously and reads the port's NTC every 5 s; between
    /// periodic reports a port reports a move of 1 °C, 20 W, 0.1 A or 3 mA of leakage at its next 5-s sample (no battery
    /// to spare: a 10-s spacing held one of 48 runaway warnings to 31.5 s; +0.03 % messages on a normal day), and a
    /// change of its state (plugged in, full, idle) at once.</summary>
    public static ReportPolicy Policy(double scale) => ReportPolicy.Of(5, 5, Deltas, scale);

    private static readonly Dictionary<string, double> Deltas = new(StringComparer.Ordinal)
    {
        ["temp_c"] = 1, ["power_w"] = 20, ["current_a"] = 0.1, ["leak_ma"] = 3,
    };
    public int Ports => _ports.Length;
    public ChargerPort Port(int port) => _ports[port - 1];

    /// <summary>Arrivals per idle port per hour: low at night, a peak after work (18:00–22:00).</summary>
    private static double ArrivalsPerHour(double hour) =>
        0.03 + 0.12 * Math.Exp(-Math.Pow((hour - 12.5) / 2.5, 2)) + 0.35 * Math.Exp(-Math.Pow((hour - 19.5) / 1.8, 2));

    public void Sample(long simMs, List<Reading> output)
    {
        var dtS = _lastMs < 0 ? 0 : (simMs - _lastMs) / 1000.0;
        _lastMs = simMs;
        var lambda = ArrivalsPerHour(SimEnvironment.LocalHour(simMs));
        var ambient = env.OutdoorTempC(simMs) + 2; // a covered shed is a little warmer than the air
        for (var p = 1; p <= _ports.Length; p++)
        {
            var port = _ports[p - 1];
            var ev = port.Step(simMs, dtS, lambda, rng);
            if (ev is not null) output.Add(new Reading(TopicChannel.Event, p).Text("type", ev).Number("port", p, 0));
            output.Add(Telemetry(p, port, ambient));
        }
    }

    public void Command(string cmd, int port, long simMs, List<Reading> output)
    {
        if (cmd != "cut_power" || port < 1 || port > _ports.Length) return;
        var p = _ports[port - 1];
        var wasCharging = p.State == "charging";
        p.Cut();
        output.Add(new Reading(TopicChannel.Event, port).Text("type", "fault").Number("port", port, 0)
            .Text("reason", wasCharging ? "cut_power" : "cut_power_idle"));
        output.Add(Telemetry(port, p, env.OutdoorTempC(simMs) + 2));
    }

    private Reading Telemetry(int portNo, ChargerPort port, double ambientC)
    {
        var volts = 220 + Gaussian.Next(rng) * 1.5;
        var power = port.PowerW > 0 ? port.PowerW * (1 + Gaussian.Next(rng) * 0.01) : 0;
        return new Reading(TopicChannel.Telemetry, portNo)
            .Number("port", portNo, 0)
            .Text("state", port.State)
            .Number("voltage_v", volts, 1)
            .Number("current_a", power / (volts * 0.95), 3) // power factor of a switched-mode charger with PFC
            .Number("power_w", power, 1)
            .Number("energy_wh", port.EnergyWh, 1)
            .Number("temp_c", ambientC + port.RiseC + Gaussian.Next(rng) * 0.2, 2)
            .Number("leak_ma", Math.Max(0, _leakBiasMa + power / 250 * 0.3 + Gaussian.Next(rng) * 0.1), 2);
    }
}
