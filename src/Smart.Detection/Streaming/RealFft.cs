namespace Smart.Detection.Streaming;

/// <summary>
/// FFT of a real sequence of one fixed power-of-two length n through a complex FFT of n/2 (even samples as the real part,
/// odd samples as the imaginary part, then one split pass): half the work of transforming it as complex. Only bins
/// 0…n/2 are produced or read: for real data bin n−k is the conjugate of bin k. Scratch space comes from the caller, so
/// one instance serves every thread.
/// </summary>
internal sealed class RealFft
{
    private readonly int _n, _half;
    private readonly Fft _fft;
    private readonly double[] _cos, _sin;       // e^{−2πik/n} for k ≤ n/2

    public RealFft(int n)
    {
        if (n < 4 || (n & (n - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(n), n, "The length must be a power of two ≥ 4.");
        (_n, _half) = (n, n / 2);
        _fft = new Fft(_half);
        _cos = new double[_half + 1];
        _sin = new double[_half + 1];
        for (var k = 0; k <= _half; k++) { _cos[k] = Math.Cos(2 * Math.PI * k / n); _sin[k] = -Math.Sin(2 * Math.PI * k / n); }
    }

    /// <summary>Bins 0…n/2 of the DFT of <paramref name="x"/> (length n) into <paramref name="re"/>/<paramref name="im"/>
    /// (length ≥ n/2 + 1); <paramref name="zr"/>/<paramref name="zi"/> are scratch of length n/2.</summary>
    public void Forward(ReadOnlySpan<double> x, double[] re, double[] im, double[] zr, double[] zi)
    {
        for (var j = 0; j < _half; j++) { zr[j] = x[2 * j]; zi[j] = x[2 * j + 1]; }
        _fft.Transform(zr, zi, inverse: false);
        for (var k = 0; k <= _half; k++)
        {
            // k mod h and (h − k) mod h without a division.
            int a = k == _half ? 0 : k, b = k == 0 ? 0 : _half - k;
            // Even part E = (Z[k] + conj Z[h−k]) / 2, odd part O = (Z[k] − conj Z[h−k]) / 2i, bin k = E + w^k·O.
            double er = (zr[a] + zr[b]) / 2, ei = (zi[a] - zi[b]) / 2;
            double or = (zi[a] + zi[b]) / 2, oi = -(zr[a] - zr[b]) / 2;
            re[k] = er + _cos[k] * or - _sin[k] * oi;
            im[k] = ei + _cos[k] * oi + _sin[k] * or;
        }
    }

    /// <summary>The real sequence (length n, into <paramref name="x"/>) whose DFT has bins 0…n/2 in
    /// <paramref name="re"/>/<paramref name="im"/> (the rest being their conjugates); scales by 1/n like an inverse DFT.
    /// <paramref name="zr"/>/<paramref name="zi"/> are scratch of length n/2.</summary>
    public void Inverse(double[] re, double[] im, Span<double> x, double[] zr, double[] zi)
    {
        for (var k = 0; k < _half; k++)
        {
            var m = _half - k;
            // E = (X[k] + conj X[h−k]) / 2, O = (X[k] − conj X[h−k])·w^{−k} / 2, Z = E + i·O.
            double er = (re[k] + re[m]) / 2, ei = (im[k] - im[m]) / 2;
            double dr = (re[k] - re[m]) / 2, di = (im[k] + im[m]) / 2;
            double or = dr * _cos[k] + di * _sin[k], oi = di * _cos[k] - dr * _sin[k];
            zr[k] = er - oi;
            zi[k] = ei + or;
        }
        _fft.Transform(zr, zi, inverse: true);
        for (var j = 0; j < _half; j++) { x[2 * j] = zr[j]; x[2 * j + 1] = zi[j]; }
    }
}
