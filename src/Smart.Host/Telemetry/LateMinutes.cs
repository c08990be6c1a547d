namespace Smart.Host.Telemetry;

/// <summary>
/// Times (Unix ms) whose 1-minute rollups must be recomputed from the raw points: per device, so that a few devices'
/// late or repeated readings (a clock minutes behind, a redelivery) cost a read of their own points only; or for every
/// series (a restart, a spool replay, or more than <see cref="MaxDevices"/> devices at once). Not thread-safe.
/// </summary>
public sealed class LateMinutes
{
    public const int MaxDevices = 256;
    private static readonly (long From, long To) None = (long.MaxValue, long.MinValue);
    private readonly Dictionary<string, (long From, long To)> _byDevice = new(StringComparer.Ordinal);

    /// <summary>The range to recompute for every series (From &gt; To: none).</summary>
    public (long From, long To) All { get; private set; } = None;

    public IReadOnlyDictionary<string, (long From, long To)> ByDevice => _byDevice;
    public bool IsEmpty => _byDevice.Count == 0 && All.From > All.To;

    /// <summary>The earliest time anything is due (long.MaxValue: nothing).</summary>
    public long EarliestMs => _byDevice.Values.Aggregate(All.From, (min, r) => Math.Min(min, r.From));

    /// <summary>Adds a range for one device, or for every series when <paramref name="device"/> is null.</summary>
    public void Add(string? device, long from, long to)
    {
        if (device is null || (_byDevice.Count >= MaxDevices && !_byDevice.ContainsKey(device))) All = Union(All, (from, to));
        else _byDevice[device] = Union(_byDevice.GetValueOrDefault(device, None), (from, to));
    }

    public void AddAll(LateMinutes other)
    {
        if (other.All.From <= other.All.To) Add(null, other.All.From, other.All.To);
        foreach (var (device, r) in other._byDevice) Add(device, r.From, r.To);
    }

    /// <summary>Moves what lies before <paramref name="beforeMs"/> into a new set; later parts stay.</summary>
    public LateMinutes TakeBefore(long beforeMs)
    {
        var taken = new LateMinutes();
        All = Split(All, beforeMs, r => taken.All = r);
        foreach (var device in _byDevice.Keys.ToList())
        {
            var rest = Split(_byDevice[device], beforeMs, r => taken._byDevice[device] = r);
            if (rest.From > rest.To) _byDevice.Remove(device); else _byDevice[device] = rest;
        }
        return taken;
    }

    public void Clear()
    {
        _byDevice.Clear();
        All = None;
    }

    private static (long From, long To) Union((long From, long To) a, (long From, long To) b) => (Math.Min(a.From, b.From), Math.Max(a.To, b.To));

    /// <summary>Hands the part of <paramref name="r"/> before <paramref name="at"/> to <paramref name="early"/>; returns the rest.</summary>
    private static (long From, long To) Split((long From, long To) r, long at, Action<(long, long)> early)
    {
        if (r.From > r.To || r.From >= at) return r;
        early((r.From, Math.Min(r.To, at - 1)));
        return r.To >= at ? (at, r.To) : None;
    }
}
