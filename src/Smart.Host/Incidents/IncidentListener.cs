using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>
/// Several hosts on one PostgreSQL (DESIGN §13): LISTEN/NOTIFY wakes this host's hub fan-out for events other hosts
/// committed. Reconnects after a failure; the fan-out re-reads after its last seq, so nothing is missed.
/// </summary>
internal sealed partial class IncidentListener(IncidentStore store, ILogger<IncidentListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await store.ListenAsync(ct);
                return; // SQLite: one process owns the file, nothing to listen for.
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or TimeoutException)
            {
                LogLost(e);
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Lost the incident event listener; reconnecting")]
    private partial void LogLost(Exception e);
}
