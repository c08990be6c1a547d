namespace FirmwareSim.Models;

/// <summary>
/// One port of an e-bike charging station, metered on the 220 V AC side. A session charges a 48 V lead-acid or
/// lithium pack (0.6–1.2 kWh) with a CC-CV charger: constant power until about 80 % state of charge, then an
/// exponential taper until the charger switches to float ("full").
/// </summary>
internal sealed class ChargerPort
{
    private const double TaperTauS = 45 * 60, FullBelowW = 8, FloatW = 2, Efficiency = 0.85;

    public string State { get; private set; } = "idle";
    public bool PowerCut { get; private set; }
    public double PowerW { get; private set; }
    public double EnergyWh { get; private set; }
    public double RiseC { get; private set; }
    public long SessionStartMs { get; private set; }

    private double _capacityWh, _soc, _ccPowerW;
    private long _unplugAtMs;

    /// <summary>Advances the port by <paramref name="dtS"/> seconds; returns a plug event type or null.</summary>
    public string? Step(long simMs, double dtS, double arrivalsPerHour, Random rng)
    {
        string? ev = null;
        switch (State)
        {
            case "idle" when !PowerCut && rng.NextDouble() < arrivalsPerHour * dtS / 3600:
                PlugIn(simMs, rng);
                ev = "plug_in";
                break;
            case "charging":
                Charge(simMs, dtS, rng);
                break;
            case "full" when simMs >= _unplugAtMs:
                State = "idle";
                PowerW = 0;
                ev = "plug_out";
                break;
        }
        // Port temperature follows power with a 10-minute thermal lag: about +9 °C above ambient at 220 W.
        RiseC += (0.04 * PowerW - RiseC) * (1 - Math.Exp(-dtS / 600));
        return ev;
    }

    /// <summary>A scenario needs a live session on this port: plug a bike in unless one is charging already.</summary>
    public bool ForceCharging(long simMs, Random rng)
    {
        if (State == "charging" || PowerCut) return false;
        PlugIn(simMs, rng);
        return true;
    }

    /// <summary>Remote <c>cut_power</c>: the relay opens and the port stays locked until serviced.</summary>
    public void Cut()
    {
        PowerCut = true;
        State = "idle";
        PowerW = 0;
    }

    private void PlugIn(long simMs, Random rng)
    {
        State = "charging";
        SessionStartMs = simMs;
        EnergyWh = 0;
        _capacityWh = 600 + rng.NextDouble() * 600;
        _soc = 0.1 + rng.NextDouble() * 0.5;
        _ccPowerW = 170 + rng.NextDouble() * 90;
        PowerW = _ccPowerW;
    }

    private void Charge(long simMs, double dtS, Random rng)
    {
        if (_soc < 0.8)
        {
            PowerW = _ccPowerW;
        }
        else
        {
            PowerW *= Math.Exp(-dtS / TaperTauS);
        }
        EnergyWh += PowerW * dtS / 3600;
        _soc = Math.Min(1, _soc + PowerW * Efficiency * dtS / 3600 / _capacityWh);
        if (PowerW < FullBelowW)
        {
            State = "full";
            PowerW = FloatW;
            _unplugAtMs = simMs + (long)TimeSpan.FromHours(0.3 + rng.NextDouble() * 6).TotalMilliseconds; // riders collect bikes late
        }
    }
}
