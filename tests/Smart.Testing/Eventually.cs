using System.Diagnostics;

namespace Smart.Testing;

/// <summary>Waits on a condition with a deadline: the only way tests wait.</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, int pollMs = 50)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (await condition().ConfigureAwait(false)) return;
            if (sw.Elapsed > timeout) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            await Task.Delay(pollMs).ConfigureAwait(false);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, int pollMs = 50) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, pollMs);
}
