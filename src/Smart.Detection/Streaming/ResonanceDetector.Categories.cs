namespace Smart.Detection.Streaming;

/// <summary>The fuzzy-ART categories of <see cref="ResonanceDetector"/> and its saved state.</summary>
internal sealed partial class ResonanceDetector
{
    /// <summary>Fills the shape half of the pattern: Haar wavelet of the window scaled to [0,1], itself scaled to [0,1].
    /// The level half is read from <c>_levels</c> directly (it is compared in the metric's unit).</summary>
    private void BuildShape()
    {
        var w = _o.Window;
        var shape = _pattern.AsSpan(w, w);
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in _levels) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        for (var i = 0; i < w; i++) shape[i] = hi > lo ? (_levels[i] - lo) / (hi - lo) : 0;
        Haar(shape, stackalloc double[w]);
        lo = double.PositiveInfinity; hi = double.NegativeInfinity;
        foreach (var v in shape) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        for (var i = 0; i < w; i++) shape[i] = hi > lo ? (shape[i] - lo) / (hi - lo) : 0;
    }

    /// <summary>In-place multi-level Haar transform (length a power of two): [approximation, coarsest … finest details].</summary>
    private static void Haar(Span<double> x, Span<double> tmp)
    {
        for (var n = x.Length; n > 1; n /= 2)
        {
            var half = n / 2;
            for (var i = 0; i < half; i++)
            {
                tmp[i] = (x[2 * i] + x[2 * i + 1]) / Math.Sqrt(2);
                tmp[half + i] = (x[2 * i] - x[2 * i + 1]) / Math.Sqrt(2);
            }
            tmp[..n].CopyTo(x);
        }
    }

    /// <summary>The category the pattern resonates with (the highest choice among those whose match passes
    /// vigilance, or −1) and the pattern's best match with any category.</summary>
    private (int Category, double Match) Resonate()
    {
        var range = Range;
        var chosen = -1;
        double bestChoice = double.NegativeInfinity, bestMatch = 0;
        for (var c = 0; c < _categories; c++)
        {
            var (union, box) = Sizes(c, range);
            var match = 1 - union / _dims;
            bestMatch = Math.Max(bestMatch, match);
            if (match < _o.Vigilance) continue;
            var choice = (_dims - union) / (ChoiceAlpha + _dims - box);
            if (choice > bestChoice) (bestChoice, chosen) = (choice, c);
        }
        return (chosen, bestMatch);
    }

    private double Range => _max > _min ? _max - _min : 1;

    /// <summary>L1 size of category <paramref name="c"/>'s box grown to include the pattern, and of the box itself,
    /// with the level half in units of the running range.</summary>
    private (double Union, double Box) Sizes(int c, double range)
    {
        var w = _o.Window;
        var at = c * _dims;
        double union = 0, box = 0;
        for (var i = 0; i < w; i++)
        {
            double lo = _lo[at + i], hi = _hi[at + i], v = _levels[i];
            union += (Math.Max(hi, v) - Math.Min(lo, v)) / range;
            box += (hi - lo) / range;
        }
        for (var i = w; i < _dims; i++)
        {
            double lo = _lo[at + i], hi = _hi[at + i], v = _pattern[i];
            union += Math.Max(hi, v) - Math.Min(lo, v);
            box += hi - lo;
        }
        return (union, box);
    }

    /// <summary>Fast learning: the box grows to include the pattern.</summary>
    private void Learn(int c)
    {
        var at = c * _dims;
        for (var i = 0; i < _dims; i++)
        {
            var v = i < _o.Window ? _levels[i] : _pattern[i];
            _lo[at + i] = Math.Min(_lo[at + i], v);
            _hi[at + i] = Math.Max(_hi[at + i], v);
        }
        _lastUsed[c] = _steps;
    }

    /// <summary>A new category holding just the pattern; when all are taken, the least recently used one is replaced.</summary>
    private void Found()
    {
        var c = _categories;
        if (c < _o.MaxCategories) _categories++;
        else
            for (var k = c = 0; k < _categories; k++)
                if (_lastUsed[k] < _lastUsed[c]) c = k;
        var at = c * _dims;
        for (var i = 0; i < _dims; i++) _lo[at + i] = _hi[at + i] = i < _o.Window ? _levels[i] : _pattern[i];
        _lastUsed[c] = _steps;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(_steps); w.Write(_blockCount); w.Write(_categories);
        w.Write(_blockSum); w.Write(_min); w.Write(_max);
        foreach (var v in _levels) w.Write(v);
        for (var i = 0; i < _categories * _dims; i++) { w.Write(_lo[i]); w.Write(_hi[i]); }
        for (var c = 0; c < _categories; c++) w.Write(_lastUsed[c]);
    }

    public void Read(BinaryReader r)
    {
        _steps = r.ReadInt64(); _blockCount = r.ReadInt32(); _categories = r.ReadInt32();
        if (_categories < 0 || _categories > _o.MaxCategories)
            throw new InvalidDataException($"Resonance state holds {_categories} categories; this detector allows {_o.MaxCategories}.");
        _blockSum = r.ReadDouble(); _min = r.ReadDouble(); _max = r.ReadDouble();
        for (var i = 0; i < _levels.Length; i++) _levels[i] = r.ReadDouble();
        for (var i = 0; i < _categories * _dims; i++) { _lo[i] = r.ReadDouble(); _hi[i] = r.ReadDouble(); }
        for (var c = 0; c < _categories; c++) _lastUsed[c] = r.ReadInt64();
    }
}
