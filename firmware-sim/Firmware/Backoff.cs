namespace FirmwareSim.Firmware;

/// <summary>
/// Reconnect delays: exponential (×2 per failure) from <c>min</c> to <c>max</c> with "full jitter" (a uniform draw in
/// [0, delay]) so that a fleet knocked off by a broker restart does not reconnect in lock-step (AWS Architecture Blog,
/// "Exponential Backoff and Jitter").
/// </summary>
internal sealed class Backoff(TimeSpan min, TimeSpan max, Random rng)
{
    private int _failures;

    public int Failures => _failures;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30)));
        _failures++;
        lock (rng) return TimeSpan.FromMilliseconds(Math.Max(min.TotalMilliseconds / 2, rng.NextDouble() * ceiling));
    }

    public void Reset() => _failures = 0;
}
