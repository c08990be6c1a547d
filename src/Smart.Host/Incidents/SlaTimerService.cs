using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>
/// Escalates missed time limits (DESIGN §8). Sleeps until the next due timer (at most 5 s, so timers set by other
/// host processes are picked up); the store makes sure each due timer is handled by exactly one process.
/// </summary>
internal sealed partial class SlaTimerService(IncidentStore store, TimeProvider clock, ILogger<SlaTimerService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var escalated = await store.ProcessDueTimersAsync(ct);
                if (escalated > 0) LogEscalated(escalated);
                var next = await store.NextDueAsync(ct);
                var wait = next is null ? MaxSleep : next.Value - clock.GetUtcNow();
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxSleep ? MaxSleep : wait, clock, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                LogFailed(e);
                await Task.Delay(MaxSleep, clock, ct);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Escalated {Count} incident(s) past their time limit")]
    private partial void LogEscalated(int count);

    [LoggerMessage(LogLevel.Error, "SLA timer pass failed; retrying")]
    private partial void LogFailed(Exception e);
}
