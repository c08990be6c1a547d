namespace FirmwareSim.Models;

/// <summary>
/// The weather every device of the district shares, a pure function of (seed, simulated time) so runs are reproducible:
/// a diurnal outdoor temperature (minimum near 05:00, maximum near 15:00 local time, China Standard Time UTC+8)
/// and rain showers drawn per simulated day.
/// </summary>
internal sealed class SimEnvironment(int seed)
{
    private const long HourMs = 3_600_000, DayMs = 24 * HourMs;
    private static readonly TimeSpan LocalOffset = TimeSpan.FromHours(8);
    private readonly Dictionary<long, (double StartH, double DurationH, double MmPerHour)[]> _rainByDay = [];

    /// <summary>Local hour of day in [0, 24).</summary>
    public static double LocalHour(long simMs)
    {
        var local = simMs + (long)LocalOffset.TotalMilliseconds;
        return (((local % DayMs) + DayMs) % DayMs) / (double)HourMs;
    }

    /// <summary>Outdoor air temperature, °C: 18 ± 6 with the peak at 15:00.</summary>
    public double OutdoorTempC(long simMs) => 18 + 6 * Math.Sin(2 * Math.PI * (LocalHour(simMs) - 9) / 24);

    /// <summary>Rain intensity in mm/h (0 when dry).</summary>
    public double RainMmPerHour(long simMs)
    {
        var day = Math.DivRem(simMs + (long)LocalOffset.TotalMilliseconds, DayMs, out var inDay);
        if (inDay < 0) { day--; inDay += DayMs; }
        var hour = inDay / (double)HourMs;
        var rain = 0.0;
        foreach (var (start, duration, mm) in Showers(day))
            if (hour >= start && hour < start + duration)
                rain += mm * Math.Sin(Math.PI * (hour - start) / duration); // a shower builds up and fades
        return rain;
    }

    private (double, double, double)[] Showers(long day)
    {
        lock (_rainByDay)
        {
            if (_rainByDay.TryGetValue(day, out var s)) return s;
            var rng = Engine.StableRandom.For(seed, day, 0x5241494e);
            var count = rng.NextDouble() < 0.6 ? 0 : 1 + rng.Next(2); // 40 % of days see rain
            s = new (double, double, double)[count];
            for (var i = 0; i < count; i++)
                s[i] = (rng.NextDouble() * 22, 0.5 + rng.NextDouble() * 3, 2 + rng.NextDouble() * 18);
            return _rainByDay[day] = s;
        }
    }
}
