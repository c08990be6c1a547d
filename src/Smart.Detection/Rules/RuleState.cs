namespace Smart.Detection.Rules;

/// <summary>The small per-device memory the layer-1 rules need: persistence counters, a short history of the one
/// metric whose rate of rise a rule watches (temperature of a fire detector or a charger port, water height in a
/// manhole), the CO dose, and when charging started. Bounded: ≤ 64 samples (1 KiB: two minutes of a manhole cover's
/// dense 2-s level series), a few counters.</summary>
internal sealed class RuleState
{
    private const int HistoryCapacity = 64;
    private readonly Dictionary<string, int> _consecutive = new(StringComparer.Ordinal);
    private readonly long[] _trendTs = new long[HistoryCapacity];
    private readonly double[] _trend = new double[HistoryCapacity];
    private int _trendCount, _trendHead;

    public double CoDose { get; set; }
    public long CoLastMs { get; set; } = long.MinValue;
    public long ChargeStartMs { get; set; } = long.MinValue;
    /// <summary>The <c>ts</c> of the latest reading of this channel (a reading older than it is late, see
    /// <see cref="DetectionEngine.Process"/>).</summary>
    public long LatestReadingMs { get; set; } = long.MinValue;

    /// <summary>Counts consecutive readings on which <paramref name="condition"/> held; 0 when it does not.</summary>
    public int Consecutive(string key, bool condition)
    {
        var n = condition ? _consecutive.GetValueOrDefault(key) + 1 : 0;
        if (n == 0) _consecutive.Remove(key); else _consecutive[key] = n;
        return n;
    }

    /// <summary>Appends a sample of the watched metric (see <see cref="MaxRise"/>).</summary>
    public void AddTrend(long tsMs, double value)
    {
        _trendTs[_trendHead] = tsMs;
        _trend[_trendHead] = value;
        _trendHead = (_trendHead + 1) % HistoryCapacity;
        _trendCount = Math.Min(_trendCount + 1, HistoryCapacity);
    }

    /// <summary>Inserts a sample of the watched metric older than the latest (a cover's upload of its level pings from
    /// before its last uplink) by time: a sample with a time already held is ignored (a redelivery), one older than
    /// every sample of a full history is dropped (bounded). O(samples newer than it).</summary>
    public void InsertTrend(long tsMs, double value)
    {
        var k = 0; // samples newer than tsMs
        for (; k < _trendCount; k++)
        {
            var i = (_trendHead - 1 - k + 2 * HistoryCapacity) % HistoryCapacity;
            if (_trendTs[i] == tsMs) return;
            if (_trendTs[i] < tsMs) break;
        }
        if (k == HistoryCapacity) return;
        // The k newer samples move one slot on (over the oldest when the ring is full), the new one goes before them.
        for (var j = 0; j < k; j++)
        {
            int to = (_trendHead - j + HistoryCapacity) % HistoryCapacity, from = (_trendHead - 1 - j + HistoryCapacity) % HistoryCapacity;
            _trendTs[to] = _trendTs[from];
            _trend[to] = _trend[from];
        }
        var at = (_trendHead - k + HistoryCapacity) % HistoryCapacity;
        _trendTs[at] = tsMs;
        _trend[at] = value;
        _trendHead = (_trendHead + 1) % HistoryCapacity;
        _trendCount = Math.Min(_trendCount + 1, HistoryCapacity);
    }

    /// <summary>The samples of the watched metric, oldest first (tests).</summary>
    internal IEnumerable<(long TsMs, double Value)> Trend()
    {
        for (var k = _trendCount; k > 0; k--)
        {
            var i = (_trendHead - k + HistoryCapacity) % HistoryCapacity;
            yield return (_trendTs[i], _trend[i]);
        }
    }

    /// <summary>The steepest rise (units per minute) to the latest sample from an earlier one within [minSpan, window] that is
    /// at least <paramref name="minDelta"/> lower; 0 when there is no such sample.</summary>
    public double MaxRise(long minSpanMs, long windowMs, double minDelta = 0)
    {
        if (_trendCount < 2) return 0;
        var last = (_trendHead - 1 + HistoryCapacity) % HistoryCapacity;
        double bestRate = 0;
        for (var k = 1; k < _trendCount; k++)
        {
            var i = (last - k + HistoryCapacity) % HistoryCapacity;
            var span = _trendTs[last] - _trendTs[i];
            if (span > windowMs) break;
            if (span < minSpanMs) continue;
            var delta = _trend[last] - _trend[i];
            if (delta < minDelta) continue;
            bestRate = Math.Max(bestRate, delta / (span / 60_000.0));
        }
        return bestRate;
    }

    /// <summary>Milliseconds between the last two samples of the watched metric; long.MaxValue with fewer than two.</summary>
    public long LastGapMs => _trendCount < 2 ? long.MaxValue
        : _trendTs[(_trendHead - 1 + HistoryCapacity) % HistoryCapacity] - _trendTs[(_trendHead - 2 + HistoryCapacity) % HistoryCapacity];

    /// <summary>
    /// The onset of a ramp in the watched metric (a hinge test): for each of the samples
    /// <paramref name="minAfter"/>..<paramref name="maxAfter"/> back from the latest as the onset s, the least-squares fit
    /// of value = a + b·t + c·max(0, t − s) to the samples within <paramref name="windowMs"/> of the latest (at least 3
    /// from s back), and its rate after the onset, b + c: the level before the onset and its own slope are the baseline,
    /// the fit joins the ramp to it at s. Returns the largest z = (b + c − <paramref name="allowedPerMin"/>) / σ(b + c)
    /// and a rate (units per minute): that of the onset furthest back whose z reaches <paramref name="zFloor"/> (the
    /// best-supported estimate), else that of the largest z; (−∞, 0) when there are too few samples. σ(b + c) is exact
    /// for the sensor's <paramref name="noise"/>: white noise plus an AR(1) component (samples dt apart correlate by
    /// e^(−dt/τ)), so dense samples count for what they are worth. An onset whose fit leaves a mean squared residual
    /// above <paramref name="misfit"/> × the noise's variance is skipped (the series is not a line with a hinge), and so
    /// is one whose z cannot reach <paramref name="zFloor"/> even with the white part of the noise alone (a lower bound
    /// of the variance, O(1)): the exact variance, O(samples), is only computed for onsets that may matter, so the
    /// largest z returned is exact when it reaches <paramref name="zFloor"/> (pass −∞ for every onset's). No allocation.
    /// </summary>
    public (double Z, double RatePerMin) SteepestOnset(long windowMs, int minAfter, int maxAfter, double allowedPerMin, SensorNoise noise,
        double misfit, double zFloor)
    {
        Span<double> t = stackalloc double[HistoryCapacity], y = stackalloc double[HistoryCapacity], decay = stackalloc double[HistoryCapacity];
        var last = (_trendHead - 1 + HistoryCapacity) % HistoryCapacity;
        int n = 0;
        double s0 = 0, st = 0, stt = 0, sy = 0, sty = 0, syy = 0;
        for (; n < _trendCount; n++)
        {
            var i = (last - n + HistoryCapacity) % HistoryCapacity;
            var span = _trendTs[last] - _trendTs[i];
            if (span > windowMs) break;
            t[n] = -span / 1000.0;
            y[n] = _trend[i] - _trend[last];
            s0++; st += t[n]; stt += t[n] * t[n]; sy += y[n]; sty += t[n] * y[n]; syy += y[n] * y[n];
        }
        (double Z, double Rate) best = (double.NegativeInfinity, 0);
        double longestRate = double.NaN;
        var sampleVariance = noise.WhiteSd * noise.WhiteSd + noise.CorrelatedSd * noise.CorrelatedSd;
        double pt = 0, ptt = 0, py = 0, pty = 0;
        var decayed = false;
        for (var k = 1; k <= maxAfter && n - k >= 3; k++)
        {
            // Samples 0..k−1 (newest first) lie after the onset s = t[k].
            pt += t[k - 1]; ptt += t[k - 1] * t[k - 1]; py += y[k - 1]; pty += t[k - 1] * y[k - 1];
            if (k < minAfter) continue;
            var s = t[k];
            double sh = pt - k * s, shh = ptt - 2 * s * pt + k * s * s, sth = ptt - s * pt, shy = pty - s * py;
            // Inverse of the symmetric normal matrix [[s0, st, sh], [st, stt, sth], [sh, sth, shh]] by cofactors.
            double c00 = stt * shh - sth * sth, c01 = sh * sth - st * shh, c02 = st * sth - stt * sh;
            double c11 = s0 * shh - sh * sh, c12 = st * sh - s0 * sth, c22 = s0 * stt - st * st;
            var det = s0 * c00 + st * c01 + sh * c02;
            if (!(det > 1e-9)) continue;
            // b + c = Σ w_i·y_i with w_i = g·(1, t_i, h_i), g = A⁻¹·(0, 1, 1).
            double g0 = (c01 + c02) / det, g1 = (c11 + c12) / det, g2 = (c12 + c22) / det;
            var rate = g0 * sy + g1 * sty + g2 * shy;
            // A hinge that does not fit (a step, a drained pipe, a glitch) says nothing about a ramp: its residuals
            // are far above the sensor's noise.
            var a = (c00 * sy + c01 * sty + c02 * shy) / det;
            var b = (c01 * sy + c11 * sty + c12 * shy) / det;
            var residual = syy - a * sy - b * sty - (rate - b) * shy;
            if (residual > misfit * sampleVariance * (n - 3)) continue;
            // Σ w_i² = (A⁻¹)₁₁ + (A⁻¹)₂₂ + 2(A⁻¹)₁₂; the correlated part only adds variance (a covariance is PSD).
            var whiteVariance = noise.WhiteSd * noise.WhiteSd * (c11 + c22 + 2 * c12) / det;
            if (!(whiteVariance > 0) || (rate * 60 - allowedPerMin) / (Math.Sqrt(whiteVariance) * 60) < zFloor) continue;
            if (!decayed) Decay(t[..n], decay, noise.CorrelationS);
            decayed = true;
            double squares = 0, cross = 0, run = 0, previous = 0;
            for (var i = n - 1; i >= 0; i--)
            {
                var w = g0 + g1 * t[i] + (i < k ? g2 * (t[i] - s) : 0);
                if (i < n - 1) run = (run + previous) * decay[i];
                cross += w * run;
                squares += w * w;
                previous = w;
            }
            var variance = noise.WhiteSd * noise.WhiteSd * squares + noise.CorrelatedSd * noise.CorrelatedSd * (squares + 2 * cross);
            if (!(variance > 0)) continue;
            var z = (rate * 60 - allowedPerMin) / (Math.Sqrt(variance) * 60);
            if (z > best.Z) best = (z, rate * 60);
            if (z >= zFloor) longestRate = rate * 60;
        }
        return double.IsNaN(longestRate) ? best : (best.Z, longestRate);
    }

    /// <summary>decay[i] = e^(−(t[i] − t[i+1])/τ) for times newest first; one exponential per distinct gap in a row (a
    /// dense series repeats its sampling period).</summary>
    private static void Decay(ReadOnlySpan<double> t, Span<double> decay, double tau)
    {
        double gap = double.NaN, value = 0;
        for (var i = 0; i + 1 < t.Length; i++)
        {
            var g = t[i] - t[i + 1];
            if (g != gap) (gap, value) = (g, Math.Exp(-g / tau));
            decay[i] = value;
        }
    }

    public void Write(BinaryWriter w)
    {
        w.Write(CoDose); w.Write(CoLastMs); w.Write(ChargeStartMs); w.Write(LatestReadingMs);
        w.Write(_consecutive.Count);
        foreach (var (k, v) in _consecutive) { w.Write(k); w.Write(v); }
        w.Write(_trendCount); w.Write(_trendHead);
        for (var i = 0; i < HistoryCapacity; i++) { w.Write(_trendTs[i]); w.Write(_trend[i]); }
    }

    /// <param name="r">The reader.</param>
    /// <param name="version">State format version: up to 4 the history held 32 samples; up to 5 the latest reading's time
    /// was not kept (the first reading after loading one is taken as in order, as those formats' engines took every one).</param>
    public void Read(BinaryReader r, int version)
    {
        CoDose = r.ReadDouble(); CoLastMs = r.ReadInt64(); ChargeStartMs = r.ReadInt64();
        LatestReadingMs = version < 6 ? long.MinValue : r.ReadInt64();
        _consecutive.Clear();
        for (int i = 0, n = r.ReadInt32(); i < n; i++) _consecutive[r.ReadString()] = r.ReadInt32();
        int count = r.ReadInt32(), head = r.ReadInt32(), capacity = version < 5 ? 32 : HistoryCapacity;
        var ts = new long[capacity];
        var values = new double[capacity];
        for (var i = 0; i < capacity; i++) { ts[i] = r.ReadInt64(); values[i] = r.ReadDouble(); }
        _trendCount = _trendHead = 0;
        for (var k = count; k > 0; k--)
        {
            var i = (head - k + capacity) % capacity;
            AddTrend(ts[i], values[i]);
        }
    }
}

/// <summary>A sensor's noise per sample: white with <see cref="WhiteSd"/> plus an AR(1) component with
/// <see cref="CorrelatedSd"/> whose samples dt apart correlate by e^(−dt/<see cref="CorrelationS"/>).</summary>
internal readonly record struct SensorNoise(double WhiteSd, double CorrelatedSd, double CorrelationS);
