namespace Smart.Influx.Writing;

/// <summary>Exponential backoff with jitter that honours a server's <c>Retry-After</c>.</summary>
internal static class Backoff
{
    /// <summary>Longest Retry-After the replayer honours (a server asking for more is probably misconfigured).</summary>
    private static readonly TimeSpan MaxHonouredRetryAfter = TimeSpan.FromMinutes(5);

    public static TimeSpan Delay(int attempt, TimeSpan? retryAfter, InfluxOptions o, bool honourLongRetryAfter = false)
    {
        if (retryAfter is { } ra && ra > TimeSpan.Zero)
            return honourLongRetryAfter ? Min(ra, MaxHonouredRetryAfter) : ra;
        var exp = o.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(exp, o.MaxRetryDelay.TotalMilliseconds);
        // Full jitter on the upper half: concurrent writers do not retry in lockstep.
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() / 2));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
