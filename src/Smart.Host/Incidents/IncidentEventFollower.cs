using Smart.Core.Incidents;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>
/// Reads every incident event committed from this host's start on — its own and, on PostgreSQL, other hosts' — in seq
/// order, and hands each to <see cref="HandleAsync"/>. A database failure is logged and the events from the first one not
/// handled are read again, so an event is handled at least once.
/// </summary>
internal abstract partial class IncidentEventFollower(IncidentStore store, ILogger logger) : BackgroundService
{
    protected ILogger Logger { get; } = logger;

    protected abstract Task HandleAsync(IncidentEvent e, CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken ct)
    {
        var lastSeq = store.LastSeq;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await store.WaitForEventsAsync(lastSeq, ct);
                foreach (var e in await store.ReadEventsAsync(lastSeq, 500, ct))
                {
                    await HandleAsync(e, ct);
                    lastSeq = e.Seq;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                LogFailed(Logger, GetType().Name, e);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "{Follower} failed on the incident events; retrying")]
    private static partial void LogFailed(ILogger logger, string follower, Exception e);
}
