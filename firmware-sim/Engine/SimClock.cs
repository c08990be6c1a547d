using System.Diagnostics;

namespace FirmwareSim.Engine;

/// <summary>
/// Simulated time: <c>start + elapsed × speed</c>. With <c>--speed 1440</c> a simulated day passes in a minute;
/// timestamps are simulated time, so an accelerated run normally starts in the past (see <c>--start</c>).
/// </summary>
public sealed class SimClock(long startMs, double speed = 1)
{
    private readonly Stopwatch _wall = new();

    public long StartMs { get; } = startMs;
    public double Speed { get; } = speed > 0 ? speed : throw new ArgumentOutOfRangeException(nameof(speed), "speed must be positive");
    public long NowMs => StartMs + (long)(_wall.Elapsed.TotalMilliseconds * Speed);
    public bool Running => _wall.IsRunning;

    public void Start() => _wall.Start();

    /// <summary>Wall-clock time until the simulated instant <paramref name="simMs"/>.</summary>
    public TimeSpan WallUntil(long simMs) => TimeSpan.FromMilliseconds(Math.Max(0, (simMs - NowMs) / Speed));
}
