namespace Smart.Detection.Streaming;

/// <summary>In-place iterative radix-2 FFT of one fixed power-of-two size, for the small windows of
/// <see cref="SpectralResidual"/>: the bit-reversal permutation and the twiddle factors are tables built once, so a
/// transform does no trigonometry and allocates nothing (MathNet's FFT allocates per call, too costly per reading).</summary>
internal sealed class Fft
{
    private readonly int _n;
    private readonly int[] _swapWith;          // bit-reversed partner of i, only where i < partner (else −1)
    private readonly double[] _cos, _sin;       // e^{−2πik/n} for k < n/2

    public Fft(int n)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(n), n, "The size must be a power of two ≥ 2.");
        _n = n;
        _swapWith = new int[n];
        for (int i = 0, j = 0; i < n; i++)
        {
            _swapWith[i] = i < j ? j : -1;
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
        }
        _cos = new double[n / 2];
        _sin = new double[n / 2];
        for (var k = 0; k < n / 2; k++) { _cos[k] = Math.Cos(2 * Math.PI * k / n); _sin[k] = -Math.Sin(2 * Math.PI * k / n); }
    }

    public void Transform(double[] re, double[] im, bool inverse)
    {
        var n = _n;
        for (var i = 0; i < n; i++)
            if (_swapWith[i] is var j and >= 0) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        var sign = inverse ? -1.0 : 1.0;
        for (var len = 2; len <= n; len <<= 1)
        {
            int half = len / 2, step = n / len;
            for (var i = 0; i < n; i += len)
            {
                for (var k = 0; k < half; k++)
                {
                    double cr = _cos[k * step], ci = sign * _sin[k * step];
                    int a = i + k, b = a + half;
                    var tr = re[b] * cr - im[b] * ci;
                    var ti = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - tr; im[b] = im[a] - ti;
                    re[a] += tr; im[a] += ti;
                }
            }
        }
        if (!inverse) return;
        for (var i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
    }
}
