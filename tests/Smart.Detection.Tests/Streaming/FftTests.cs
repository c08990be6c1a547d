using Smart.Detection.Streaming;

namespace Smart.Detection.Tests.Streaming;

public sealed class FftTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(32)]
    public void The_transform_matches_the_textbook_dft_and_the_inverse_restores_the_input(int n)
    {
        var rng = new Random(n);
        var re = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var (re0, im0) = ((double[])re.Clone(), (double[])im.Clone());
        var fft = new Fft(n);

        fft.Transform(re, im, inverse: false);
        for (var k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (var t = 0; t < n; t++)
            {
                var a = -2 * Math.PI * k * t / n;
                sr += re0[t] * Math.Cos(a) - im0[t] * Math.Sin(a);
                si += re0[t] * Math.Sin(a) + im0[t] * Math.Cos(a);
            }
            Assert.Equal(sr, re[k], 9);
            Assert.Equal(si, im[k], 9);
        }

        fft.Transform(re, im, inverse: true);
        for (var t = 0; t < n; t++) { Assert.Equal(re0[t], re[t], 12); Assert.Equal(im0[t], im[t], 12); }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public void Sizes_that_are_not_powers_of_two_are_refused(int n) => Assert.Throws<ArgumentOutOfRangeException>(() => new Fft(n));
}

public sealed class RealFftTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(32)]
    public void Half_size_transform_matches_the_complex_one_and_inverts_back_to_the_input(int n)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
        var (cre, cim) = ((double[])x.Clone(), new double[n]);
        new Fft(n).Transform(cre, cim, inverse: false);
        var (re, im, zr, zi) = (new double[n / 2 + 1], new double[n / 2 + 1], new double[n / 2], new double[n / 2]);
        var fft = new RealFft(n);

        fft.Forward(x, re, im, zr, zi);
        for (var k = 0; k <= n / 2; k++) { Assert.Equal(cre[k], re[k], 10); Assert.Equal(cim[k], im[k], 10); }

        var back = new double[n];
        fft.Inverse(re, im, back, zr, zi);
        for (var t = 0; t < n; t++) Assert.Equal(x[t], back[t], 10);
    }
}
