using System.Runtime.CompilerServices;

namespace Smart.Detection.Rules;

/// <summary>The small per-device memory the layer-1 rules need: persistence counters, a short history of the one
/// metric whose rate of rise a rule watches (temperature of a fire detector or a charger port, water height in a
/// manhole), the CO dose, and when charging started. Bounded: ≤ 64 samples (1 KiB: two minutes of a manhole cover's
/// dense 2-s level series), a few counters.</summary>
internal sealed class RuleState
{
    /// <summary>A power of two (see <see cref="Slot"/>).</summary>
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

    /// <summary>The ring slot of index <paramref name="i"/> (any int, also below 0: two's complement masks it).</summary>
    private static int Slot(int i) => i & (HistoryCapacity - 1);

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
        _trendHead = Slot(_trendHead + 1);
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
            var i = Slot(_trendHead - 1 - k);
            if (_trendTs[i] == tsMs) return;
            if (_trendTs[i] < tsMs) break;
        }
        if (k == HistoryCapacity) return;
        // The k newer samples move one slot on (over the oldest when the ring is full), the new one goes before them.
        for (var j = 0; j < k; j++)
        {
            int to = Slot(_trendHead - j), from = Slot(_trendHead - 1 - j);
            _trendTs[to] = _trendTs[from];
            _trend[to] = _trend[from];
        }
        var at = Slot(_trendHead - k);
        _trendTs[at] = tsMs;
        _trend[at] = value;
        _trendHead = Slot(_trendHead + 1);
        _trendCount = Math.Min(_trendCount + 1, HistoryCapacity);
    }

    /// <summary>The samples of the watched metric, oldest first (tests).</summary>
    internal IEnumerable<(long TsMs, double Value)> Trend()
    {
        for (var k = _trendCount; k > 0; k--)
        {
            var i = Slot(_trendHead - k);
            yield return (_trendTs[i], _trend[i]);
        }
    }

    /// <summary>The steepest rise (units per minute) to the latest sample from an earlier one within [minSpan, window] that is
    /// at least <paramref name="minDelta"/> lower; 0 when there is no such sample.</summary>
    public double MaxRise(long minSpanMs, long windowMs, double minDelta = 0)
    {
        if (_trendCount < 2) return 0;
        var last = Slot(_trendHead - 1);
        double bestRate = 0;
        for (var k = 1; k < _trendCount; k++)
        {
            var i = Slot(last - k);
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
        : _trendTs[Slot(_trendHead - 1)] - _trendTs[Slot(_trendHead - 2)];

    /// <summary>
    /// The onset of a ramp in the watched metric (a hinge test): for each of the samples
    /// <see cref="OnsetTest.MinAfter"/>..<see cref="OnsetTest.MaxAfter"/> back from the latest as the onset s, the
    /// least-squares fit of value = a + b·t + c·max(0, t − s), and two tests of it:
    /// <list type="bullet">
    /// <item><b>rate</b>: over the samples within <see cref="OnsetTest.WindowMs"/> of the latest, the rate after the onset,
    /// b + c, above <see cref="OnsetTest.AllowedPerMin"/>: z = (b + c − allowed) / σ(b + c);</item>
    /// <item><b>bend</b>: over the samples within <see cref="OnsetTest.BendWindowMs"/>, the change of slope at the onset,
    /// c, above what any curve bending by at most <see cref="OnsetTest.BendPerMin2"/> (units per minute per minute)
    /// could give the fit: z = (c − κ·Σwᵢtᵢ²/2) / σ(c), where c = Σwᵢyᵢ (wᵢ sum to 0 against 1 and t, and their Peano
    /// kernel Σwᵢ(tᵢ − u)₊ is ≥ 0, so a constant bend κ is the worst such curve: the allowance is exact for the window's
    /// sample times, a long baseline allows more).</item>
    /// </list>
    /// The level before the onset and its own slope are the baseline; the fit joins the ramp to it at s (at least 3
    /// samples from s back). Returns the largest z of either test and a rate (units per minute, b + c of the rate fit):
    /// that of the onset furthest back whose z reaches <paramref name="zFloor"/> (the best-supported estimate), else that
    /// of the largest z; (−∞, 0) when there are too few samples. σ is exact for the sensor's <paramref name="noise"/>:
    /// white noise plus an AR(1) component (samples dt apart correlate by e^(−dt/τ)), so dense samples count for what
    /// they are worth. A fit whose mean squared residual is above <see cref="OnsetTest.Misfit"/> × the noise's variance is
    /// skipped (the series is not a line with a hinge), and so is a test whose z cannot reach <paramref name="zFloor"/>
    /// even with the least variance the noise can give it (<see cref="LeastVariance"/>, O(1)): the exact variance,
    /// O(samples), is only computed for tests that may matter (four at a time, <see cref="OnsetVariance"/>), so the largest
    /// z returned is exact when it reaches <paramref name="zFloor"/> (pass −∞ for every onset's). An infinite allowance
    /// turns a test off. No allocation.
    /// </summary>
    [SkipLocalsInit] // its buffers are written before they are read; zeroing them cost ~5 % of the test
    public (double Z, double RatePerMin) SteepestOnset(in OnsetTest test, SensorNoise noise, double zFloor)
    {
        Span<double> t = stackalloc double[HistoryCapacity], y = stackalloc double[HistoryCapacity], decay = stackalloc double[HistoryCapacity];
        var last = Slot(_trendHead - 1);
        int n = 0, nBend = 0;
        Sums all = default, bend = default;
        long minGapMs = long.MaxValue, previousSpan = 0;
        for (; n < _trendCount; n++)
        {
            var i = Slot(last - n);
            var span = _trendTs[last] - _trendTs[i];
            if (span > test.WindowMs) break;
            if (n > 0) minGapMs = Math.Min(minGapMs, span - previousSpan);
            previousSpan = span;
            t[n] = -span / 1000.0;
            y[n] = _trend[i] - _trend[last];
            all.Add(t[n], y[n]);
            if (span <= test.BendWindowMs) { bend = all; nBend = n + 1; }
        }
        // Each onset's fits and cheap bounds first, the exact variances of the estimates that may matter then, in one
        // batch (OnsetVariance), and last the onsets' z in order.
        int firstOnset = Math.Max(test.MinAfter, 1), onsets = Math.Max(0, Math.Min(test.MaxAfter, n - 3) - firstOnset + 1);
        Span<(double RatePerMin, double Z)> rows = stackalloc (double, double)[onsets];
        Span<OnsetEstimate> estimates = stackalloc OnsetEstimate[2 * onsets];
        var pending = 0;
        var sampleVariance = noise.WhiteSd * noise.WhiteSd + noise.CorrelatedSd * noise.CorrelatedSd;
        var leastVariance = LeastVariance(noise, minGapMs);
        Post post = default;
        for (var k = 1; k <= test.MaxAfter && n - k >= 3; k++)
        {
            // Samples 0..k−1 (newest first) lie after the onset s = t[k].
            post.Add(t[k - 1], y[k - 1]);
            if (k < test.MinAfter) continue;
            var row = k - firstOnset;
            var s = t[k];
            double sh = post.Pt - k * s, shh = post.Ptt - 2 * s * post.Pt + k * s * s, sth = post.Ptt - s * post.Pt, shy = post.Pty - s * post.Py;
            var fit = new HingeFit(all.S0, all.St, all.Stt, all.Sy, all.Sty, sh, shh, sth, shy);
            rows[row] = (fit.Rate * 60, double.NegativeInfinity);
            if (fit.Fits(all.Sy, all.Sty, all.Syy, shy, test.Misfit * sampleVariance * (n - 3)))
            {
                // b + c = Σ w_i·y_i with w_i = g·(1, t_i, h_i)/det, g = cof(A)·(0, 1, 1); Σ w_i² = (g1 + g2)/det.
                double g0 = fit.C01 + fit.C02, g1 = fit.C11 + fit.C12, g2 = fit.C12 + fit.C22;
                var excess = fit.Rate * 60 - test.AllowedPerMin;
                if (MayReach(excess, (g1 + g2) * fit.Inverse, leastVariance, zFloor))
                    estimates[pending++] = Estimate(g0, g1, g2, fit.Inverse, s, n, k, excess, row, bend: false);
            }
            if (k >= test.BendMinAfter && nBend - k >= 3)
            {
                var bendFit = new HingeFit(bend.S0, bend.St, bend.Stt, bend.Sy, bend.Sty, sh, shh, sth, shy);
                if (bendFit.Fits(bend.Sy, bend.Sty, bend.Syy, shy, test.Misfit * sampleVariance * (nBend - 3)))
                {
                    // c = Σ w_i·y_i with g = cof(A)·(0, 0, 1); Σ w_i·t_i²/2 is the c the curve t²/2 (seconds) gives.
                    var curve = (bendFit.C02 * bend.Stt + bendFit.C12 * bend.Sttt + bendFit.C22 * (post.Pttt - s * post.Ptt)) * bendFit.Inverse / 2;
                    var excess = bendFit.C * 60 - test.BendPerMin2 * curve / 60;
                    if (MayReach(excess, bendFit.C22 * bendFit.Inverse, leastVariance, zFloor + test.BendZMargin))
                        estimates[pending++] = Estimate(bendFit.C02, bendFit.C12, bendFit.C22, bendFit.Inverse, s, nBend, k, excess, row, bend: true);
                }
            }
        }
        if (pending > 0)
        {
            Decay(t[..n], decay, noise.CorrelationS);
            OnsetVariance.Compute(t[..n], decay, estimates[..pending], noise);
        }
        // An onset's rate test comes before its bend test, which can only raise its z.
        foreach (ref readonly var e in estimates[..pending])
        {
            var z = e.Variance > 0 ? e.Excess / (Math.Sqrt(e.Variance) * 60) : double.NegativeInfinity;
            ref var onsetZ = ref rows[e.Onset].Z;
            onsetZ = e.Bend ? Math.Max(onsetZ, z - test.BendZMargin) : z;
        }
        (double Z, double Rate) best = (double.NegativeInfinity, 0);
        var longestRate = double.NaN;
        foreach (var (rate, z) in rows)
        {
            if (z > best.Z) best = (z, rate);
            if (z >= zFloor) longestRate = rate;
        }
        return double.IsNaN(longestRate) ? best : (best.Z, longestRate);
    }

    private static OnsetEstimate Estimate(double g0, double g1, double g2, double inverse, double s, int count, int after, double excess, int onset, bool bend) =>
        new() { G0 = g0 * inverse, G1 = g1 * inverse, G2 = g2 * inverse, S = s, Count = count, After = after, Excess = excess, Onset = onset, Bend = bend };

    /// <summary>Whether an estimate whose excess over its allowance is <paramref name="excessPerMin"/> could reach
    /// <paramref name="zFloor"/>: its variance is at least <paramref name="leastVariance"/> × Σ w_i² (= <paramref name="gram"/>),
    /// O(1).</summary>
    private static bool MayReach(double excessPerMin, double gram, double leastVariance, double zFloor)
    {
        var variance = leastVariance * gram;
        return variance > 0 && excessPerMin / (Math.Sqrt(variance) * 60) >= zFloor;
    }

    /// <summary>A lower bound of Var(Σ w_i·y_i) / Σ w_i² under the sensor's noise for samples at least
    /// <paramref name="minGapMs"/> apart: the white part's variance plus the AR(1) part's times the smallest eigenvalue
    /// of its correlation matrix. That matrix's inverse is tridiagonal; with every neighbour correlation ≤ ρ =
    /// e^(−gap/τ) its rows' absolute sums are ≤ (1 + ρ)/(1 − ρ) (Gershgorin), so every eigenvalue of the matrix is
    /// ≥ (1 − ρ)/(1 + ρ). Shaved by 1e-9 so rounding cannot put it above the exact variance.</summary>
    internal static double LeastVariance(SensorNoise noise, long minGapMs)
    {
        var white = noise.WhiteSd * noise.WhiteSd;
        if (minGapMs <= 0 || minGapMs == long.MaxValue) return white;
        var rho = Math.Exp(-minGapMs / 1000.0 / noise.CorrelationS);
        return (white + noise.CorrelatedSd * noise.CorrelatedSd * (1 - rho) / (1 + rho)) * (1 - 1e-9);
    }

    /// <summary>decay[i] = e^(−(t[i] − t[i+1])/τ) for times newest first; one exponential per distinct gap in a row (a
    /// dense series repeats its sampling period).</summary>
    internal static void Decay(ReadOnlySpan<double> t, Span<double> decay, double tau)
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

/// <summary>The limits of <see cref="RuleState.SteepestOnset"/>: the rate test's window and allowance, the onsets tried
/// (samples back from the latest), the misfit bound (× the noise's variance), the bend test's window and allowance.</summary>
internal readonly record struct OnsetTest(long WindowMs, int MinAfter, int MaxAfter, double AllowedPerMin, double Misfit, long BendWindowMs,
    double BendPerMin2, int BendMinAfter, double BendZMargin);

/// <summary>Sums over the samples of a fit window (times t in seconds, newest 0, values y).</summary>
internal struct Sums
{
    public double S0, St, Stt, Sttt, Sy, Sty, Syy;

    public void Add(double t, double y)
    {
        S0++; St += t; Stt += t * t; Sttt += t * t * t; Sy += y; Sty += t * y; Syy += y * y;
    }
}

/// <summary>Sums over the samples after an onset.</summary>
internal struct Post
{
    public double Pt, Ptt, Pttt, Py, Pty;

    public void Add(double t, double y)
    {
        Pt += t; Ptt += t * t; Pttt += t * t * t; Py += y; Pty += t * y;
    }
}

/// <summary>The least-squares hinge y = a + b·t + c·h, h = max(0, t − s), from its normal matrix
/// [[S0, St, Sh], [St, Stt, Sth], [Sh, Sth, Shh]] inverted by cofactors (C.. · Inverse; Inverse 0 when it is singular).</summary>
internal readonly struct HingeFit
{
    public readonly double C01, C02, C11, C12, C22, Inverse, A, B, C;

    /// <param name="s0">Samples of the window.</param><param name="st">Σt.</param><param name="stt">Σt².</param>
    /// <param name="sy">Σy.</param><param name="sty">Σty.</param><param name="sh">Σh over the samples after the onset.</param>
    /// <param name="shh">Σh².</param><param name="sth">Σth.</param><param name="shy">Σhy.</param>
    public HingeFit(double s0, double st, double stt, double sy, double sty, double sh, double shh, double sth, double shy)
    {
        var c00 = stt * shh - sth * sth;
        C01 = sh * sth - st * shh; C02 = st * sth - stt * sh;
        C11 = s0 * shh - sh * sh; C12 = st * sh - s0 * sth; C22 = s0 * stt - st * st;
        var det = s0 * c00 + st * C01 + sh * C02;
        Inverse = det > 1e-9 ? 1 / det : 0;
        A = (c00 * sy + C01 * sty + C02 * shy) * Inverse;
        B = (C01 * sy + C11 * sty + C12 * shy) * Inverse;
        C = (C02 * sy + C12 * sty + C22 * shy) * Inverse;
    }

    /// <summary>The rate after the onset, b + c.</summary>
    public double Rate => B + C;

    /// <summary>Whether the fit is determined and its residual sum of squares is at most <paramref name="maxResidual"/>
    /// (a hinge that does not fit — a step, a drained pipe, a glitch — says nothing about a ramp).</summary>
    public bool Fits(double sy, double sty, double syy, double shy, double maxResidual) =>
        Inverse > 0 && syy - A * sy - B * sty - C * shy <= maxResidual;
}

/// <summary>A sensor's noise per sample: white with <see cref="WhiteSd"/> plus an AR(1) component with
/// <see cref="CorrelatedSd"/> whose samples dt apart correlate by e^(−dt/<see cref="CorrelationS"/>).</summary>
internal readonly record struct SensorNoise(double WhiteSd, double CorrelatedSd, double CorrelationS);
