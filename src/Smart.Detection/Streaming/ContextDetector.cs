namespace Smart.Detection.Streaming;

/// <summary>Knobs of <see cref="ContextDetector"/>; the first three are CAD-OSE's published defaults.</summary>
/// <param name="ValueBits">Bits of the quantised value (2^bits levels over the running range).</param>
/// <param name="MaxLeftFacts">Longest left semi-context a generalised (crossed) context may have.</param>
/// <param name="MaxActive">Active contexts fed back as facts of the next step (the sequence memory).</param>
/// <param name="MaxContexts">Bound on the dictionary; when full, the least recently active quarter is forgotten.</param>
/// <param name="RangeMargin">When a value sets a new extreme, the quantisation range is pushed this share of the range
/// beyond it, so a slowly widening range re-quantises (and invalidates the learned contexts) less often.</param>
/// <param name="FreezeRows">After this many rows the quantisation range stops moving (0 = never); values beyond it
/// take the nearest level plus an "above" or "below" fact, so the learned contexts are not re-labelled by every new extreme.</param>
internal sealed record ContextOptions(int ValueBits = 3, int MaxLeftFacts = 7, int MaxActive = 15, int MaxContexts = 1024, double RangeMargin = 0, int FreezeRows = 0)
{
    public static ContextOptions Default { get; } = new();
}

/// <summary>Streaming contextual anomaly detector after CAD-OSE (M. Smirnov, Contextual Anomaly Detector, NAB
/// scoreboard), written from its published design: each row becomes a few <em>facts</em> (one per bit of the value
/// quantised over the running min/max, "bit k is 0/1"); a <em>context</em> pairs a left semi-context (facts active at
/// t−1, including the ids of the contexts that were active then, which makes it a sequence memory) with a right
/// semi-context (value facts at t). Contexts whose left side is fully active are <em>selected</em> (they predict);
/// those whose right side then occurs too are <em>active</em>. Each new transition is stored as a zero-level context,
/// and its overlaps with stored zero-level contexts become generalised contexts.
/// <para>Score = (share of selected contexts that failed + share of this step's candidate contexts that were new) / 2:
/// high when what was predicted did not happen and what happened had not been seen in this context. Unlike the other
/// surprises it knows nothing of distances — a value in a known level after an unknown sequence is as surprising as a
/// far-off value — so it is differently biased from the forecast residual and the pattern novelty.</para>
/// <para>No look-ahead: the range is the running min/max (CAD-OSE uses the file's). Bounded: at most
/// <see cref="ContextOptions.MaxContexts"/> contexts (plus their semi-contexts); CAD-OSE's dictionary grows without
/// bound. Serialised state ≈ 45–60 bytes per context (38–54 KiB after the dev split's longest files, 817–934 contexts);
/// about 20 µs per point, as the dictionary is scanned every row — NAB/CLI only, and off by default there.</para></summary>
internal sealed class ContextDetector
{
    /// <summary>Context ids are fed back as facts from here up (value facts are below 2·bits).</summary>
    private const int NeuronFactBase = 64;

    private readonly ContextOptions _o;
    private readonly Dictionary<int[], Semi> _lefts = new(FactSetComparer.Instance), _rights = new(FactSetComparer.Instance);
    private readonly Dictionary<(Semi, Semi), Context> _pairs = [];
    private readonly List<Context> _contexts = [];
    private readonly List<Context> _active = [];
    private int[] _left = [];
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;
    private int _nextId;
    private long _step;

    public ContextDetector(ContextOptions? options = null) => _o = options ?? ContextOptions.Default;

    public int Contexts => _contexts.Count;

    /// <summary>Scores one reading in [0,1], then learns it.</summary>
    public double Update(double x)
    {
        if ((_o.FreezeRows == 0 || _step < _o.FreezeRows) && (x < _min || x > _max))
        {
            _min = Math.Min(_min, x);
            _max = Math.Max(_max, x);
            var pad = double.IsFinite(_max - _min) ? _o.RangeMargin * (_max - _min) : 0;
            if (x == _min) _min -= pad;
            if (x == _max) _max += pad;
        }
        var facts = Facts(x);
        _step++;
        if (_left.Length == 0) { _left = facts; return 0; }

        var (zero, isNew) = GetOrAdd(_left, facts, zeroLevel: true);
        foreach (var s in _lefts.Values) s.Crossed = Overlap(s.Facts, _left);
        foreach (var s in _rights.Values) s.Crossed = Overlap(s.Facts, facts);

        var selected = 0;
        _active.Clear();
        var candidates = new List<(int[] Left, int[] Right)>();
        foreach (var c in _contexts)
        {
            if (isNew && ReferenceEquals(c, zero)) continue;
            var (l, r) = (c.Left, c.Right);
            var generalise = c.ZeroLevel && isNew && r.Crossed > 0 && l.Crossed <= _o.MaxLeftFacts;
            if (l.Crossed == l.Facts.Length)
            {
                selected++;
                if (r.Crossed == r.Facts.Length) { c.Count++; c.LastActive = _step; _active.Add(c); }
                else if (generalise) candidates.Add((Intersect(l.Facts, _left), Intersect(r.Facts, facts)));
            }
            else if (l.Crossed > 0 && generalise) candidates.Add((Intersect(l.Facts, _left), Intersect(r.Facts, facts)));
        }
        var failed = selected > 0 ? 1 - (double)_active.Count / selected : 1;

        var unique = new HashSet<(int[], int[])>(candidates, PairComparer.Instance) { (_left, facts) };
        var added = isNew ? 1 : 0;
        foreach (var (l, r) in unique)
            if (!(ReferenceEquals(l, _left) && ReferenceEquals(r, facts)) && GetOrAdd(l, r, zeroLevel: false).Added) added++;
        var novel = isNew ? (double)added / unique.Count : 0;

        _active.Sort((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : b.Id.CompareTo(a.Id));
        var next = new int[facts.Length + Math.Min(_o.MaxActive, _active.Count)];
        facts.CopyTo(next, 0);
        for (var i = facts.Length; i < next.Length; i++) next[i] = NeuronFactBase + _active[i - facts.Length].Id;
        Array.Sort(next);
        _left = next;
        return (failed + novel) / 2;
    }

    /// <summary>Bit k of the level gives fact 2k + bit.</summary>
    private int[] Facts(double x)
    {
        var top = (1 << _o.ValueBits) - 1;
        var range = _max - _min;
        var level = range > 0 ? Math.Clamp((int)((x - _min) / range * top), 0, top) : 0;
        var beyond = x < _min ? 2 * _o.ValueBits : x > _max ? 2 * _o.ValueBits + 1 : -1;
        var facts = new int[_o.ValueBits + (beyond < 0 ? 0 : 1)];
        for (var k = 0; k < _o.ValueBits; k++) facts[k] = 2 * k + ((level >> k) & 1);
        if (beyond >= 0) facts[^1] = beyond;
        return facts;
    }

    private (Context Context, bool Added) GetOrAdd(int[] left, int[] right, bool zeroLevel)
    {
        var l = _lefts.TryGetValue(left, out var ls) ? ls : null;
        var r = _rights.TryGetValue(right, out var rs) ? rs : null;
        if (l is not null && r is not null && _pairs.TryGetValue((l, r), out var found))
        {
            found.ZeroLevel |= zeroLevel;
            return (found, false);
        }
        if (_contexts.Count >= _o.MaxContexts) Forget();
        l = SemiOf(_lefts, left);
        r = SemiOf(_rights, right);
        var c = new Context(_nextId++, l, r) { ZeroLevel = zeroLevel, LastActive = _step };
        l.Refs++;
        r.Refs++;
        _pairs.Add((l, r), c);
        _contexts.Add(c);
        return (c, true);
    }

    private static Semi SemiOf(Dictionary<int[], Semi> semis, int[] facts)
    {
        if (semis.TryGetValue(facts, out var s)) return s;
        s = new Semi(facts);
        semis.Add(facts, s);
        return s;
    }

    /// <summary>Drops the least recently active quarter of the contexts (oldest first on ties).</summary>
    private void Forget()
    {
        var drop = _contexts.OrderBy(c => c.LastActive).ThenBy(c => c.Id).Take(Math.Max(1, _contexts.Count / 4)).ToHashSet();
        foreach (var c in drop)
        {
            _pairs.Remove((c.Left, c.Right));
            if (--c.Left.Refs == 0) _lefts.Remove(c.Left.Facts);
            if (--c.Right.Refs == 0) _rights.Remove(c.Right.Facts);
        }
        _contexts.RemoveAll(drop.Contains);
    }

    private static int Overlap(int[] a, int[] b)
    {
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
            if (a[i] == b[j]) { n++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        return n;
    }

    private static int[] Intersect(int[] a, int[] b)
    {
        var result = new List<int>(Math.Min(a.Length, b.Length));
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
            if (a[i] == b[j]) { result.Add(a[i]); i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        return [.. result];
    }

    public void Write(BinaryWriter w)
    {
        w.Write(_min); w.Write(_max); w.Write(_nextId); w.Write(_step);
        WriteFacts(w, _left);
        w.Write(_contexts.Count);
        foreach (var c in _contexts)
        {
            w.Write(c.Id); w.Write(c.Count); w.Write(c.ZeroLevel); w.Write(c.LastActive);
            WriteFacts(w, c.Left.Facts);
            WriteFacts(w, c.Right.Facts);
        }
    }

    public void Read(BinaryReader r)
    {
        (_min, _max, _nextId, _step) = (r.ReadDouble(), r.ReadDouble(), r.ReadInt32(), r.ReadInt64());
        _left = ReadFacts(r);
        _lefts.Clear(); _rights.Clear(); _pairs.Clear(); _contexts.Clear();
        for (var n = r.ReadInt32(); n > 0; n--)
        {
            var (id, count, zero, last) = (r.ReadInt32(), r.ReadInt32(), r.ReadBoolean(), r.ReadInt64());
            var (l, rt) = (SemiOf(_lefts, ReadFacts(r)), SemiOf(_rights, ReadFacts(r)));
            var c = new Context(id, l, rt) { Count = count, ZeroLevel = zero, LastActive = last };
            l.Refs++;
            rt.Refs++;
            _pairs.Add((l, rt), c);
            _contexts.Add(c);
        }
    }

    private static void WriteFacts(BinaryWriter w, int[] facts)
    {
        w.Write(facts.Length);
        foreach (var f in facts) w.Write(f);
    }

    private static int[] ReadFacts(BinaryReader r)
    {
        var facts = new int[r.ReadInt32()];
        for (var i = 0; i < facts.Length; i++) facts[i] = r.ReadInt32();
        return facts;
    }

    /// <summary>A sorted fact set shared by contexts; <see cref="Crossed"/> = how many of its facts are active now.</summary>
    private sealed class Semi(int[] facts)
    {
        public int[] Facts { get; } = facts;
        public int Crossed { get; set; }
        public int Refs { get; set; }
    }

    private sealed class Context(int id, Semi left, Semi right)
    {
        public int Id { get; } = id;
        public Semi Left { get; } = left;
        public Semi Right { get; } = right;
        public int Count { get; set; }
        public bool ZeroLevel { get; set; }
        public long LastActive { get; set; }
    }

    private sealed class FactSetComparer : IEqualityComparer<int[]>
    {
        public static FactSetComparer Instance { get; } = new();
        public bool Equals(int[]? a, int[]? b) => a.AsSpan().SequenceEqual(b);
        public int GetHashCode(int[] facts)
        {
            var h = new HashCode();
            foreach (var f in facts) h.Add(f);
            return h.ToHashCode();
        }
    }

    private sealed class PairComparer : IEqualityComparer<(int[] Left, int[] Right)>
    {
        public static PairComparer Instance { get; } = new();
        public bool Equals((int[] Left, int[] Right) a, (int[] Left, int[] Right) b) =>
            FactSetComparer.Instance.Equals(a.Left, b.Left) && FactSetComparer.Instance.Equals(a.Right, b.Right);
        public int GetHashCode((int[] Left, int[] Right) p) =>
            HashCode.Combine(FactSetComparer.Instance.GetHashCode(p.Left), FactSetComparer.Instance.GetHashCode(p.Right));
    }
}
