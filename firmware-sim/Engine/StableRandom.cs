namespace FirmwareSim.Engine;

/// <summary>
/// Seeds derived from the run seed that are the same in every process (<see cref="HashCode"/> is randomised per
/// process, so it must not feed a reproducible run).
/// </summary>
internal static class StableRandom
{
    public static Random For(int seed, string key, long salt = 0) => new(Mix(seed, Fnv(key), salt));

    public static Random For(int seed, long a, long b = 0) => new(Mix(seed, a, b));

    private static int Mix(long a, long b, long c)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var v in new[] { a, b, c })
        {
            h ^= (ulong)v + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
            h *= 0xBF58476D1CE4E5B9UL; // splitmix64 finaliser constants
            h ^= h >> 31;
        }
        return (int)(h ^ (h >> 32));
    }

    private static long Fnv(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in s) { h ^= ch; h *= 1099511628211UL; }
        return (long)h;
    }
}
