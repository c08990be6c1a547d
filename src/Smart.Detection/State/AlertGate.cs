using Smart.Detection.Rules;
using Smart.Core.Incidents;

namespace Smart.Detection.State;

/// <summary>Turns rule hits into alerts: one alert when a condition rises, again only when it escalates; a
/// condition that clears and comes back within the flap hold-off is not raised again (debounce).</summary>
internal sealed class AlertGate
{
    private sealed class Entry
    {
        public bool Active;
        /// <summary>Severity last raised: while active or flapping, only a more severe hit is raised again.</summary>
        public Severity Severity = Severity.P4;
        public long RaisedMs = long.MinValue;
    }

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Level conditions of one reading: every type hit now is active; every other active type clears.</summary>
    public IReadOnlyList<RuleHit> ApplyLevel(List<RuleHit> hits, long tsMs, long holdoffMs)
    {
        List<RuleHit>? raised = null;
        foreach (var hit in MostSevereByType(hits))
        {
            var e = Get(hit.Type);
            var flapping = e.RaisedMs != long.MinValue && tsMs - e.RaisedMs < holdoffMs;
            if ((!e.Active && !flapping) || hit.Severity < e.Severity)
            {
                (raised ??= []).Add(hit);
                e.RaisedMs = tsMs;
                e.Severity = hit.Severity;
            }
            e.Active = true;
        }
        foreach (var (type, e) in _entries)
            if (e.Active && !HasType(hits, type)) e.Active = false;
        return raised ?? (IReadOnlyList<RuleHit>)[];
    }

    private static bool HasType(List<RuleHit> hits, string type)
    {
        foreach (var h in hits)
            if (h.Type == type) return true;
        return false;
    }

    /// <summary>A momentary finding (event): raised unless the same type was raised within the hold-off.</summary>
    public bool ApplyMomentary(RuleHit hit, long tsMs, long holdoffMs)
    {
        var e = Get(hit.Type);
        if (e.RaisedMs != long.MinValue && tsMs - e.RaisedMs >= 0 && tsMs - e.RaisedMs < holdoffMs && hit.Severity >= e.Severity)
            return false;
        e.RaisedMs = tsMs;
        e.Severity = hit.Severity;
        return true;
    }

    public bool IsActive(string type) => _entries.TryGetValue(type, out var e) && e.Active;

    /// <summary>Forgets what was raised: every condition still present is raised again at the next reading.</summary>
    public void Reopen() => _entries.Clear();

    private Entry Get(string type)
    {
        if (!_entries.TryGetValue(type, out var e)) _entries[type] = e = new Entry();
        return e;
    }

    private static IEnumerable<RuleHit> MostSevereByType(List<RuleHit> hits) =>
        hits.Count <= 1 ? hits : hits.GroupBy(h => h.Type).Select(g => g.MinBy(h => h.Severity));

    public void Write(BinaryWriter w)
    {
        w.Write(_entries.Count);
        foreach (var (type, e) in _entries) { w.Write(type); w.Write(e.Active); w.Write((int)e.Severity); w.Write(e.RaisedMs); }
    }

    public void Read(BinaryReader r)
    {
        _entries.Clear();
        for (int i = 0, n = r.ReadInt32(); i < n; i++)
            _entries[r.ReadString()] = new Entry { Active = r.ReadBoolean(), Severity = (Severity)r.ReadInt32(), RaisedMs = r.ReadInt64() };
    }
}
