using Smart.Core;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.People;

/// <summary>
/// Keeps this host current with people's changes, made here or (PostgreSQL) on another host: the names the incident
/// views show, and the live connections a deactivation or a change of role or scope ends.
/// </summary>
internal sealed partial class PeopleFollower(IncidentStore store, IncidentPresenter presenter, HubSessions sessions, ILogger<PeopleFollower> logger) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        store.PersonChanged += OnPersonChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        store.PersonChanged -= OnPersonChanged;
        return Task.CompletedTask;
    }

    private void OnPersonChanged(Person person)
    {
        presenter.Remember([person]);
        _ = EndStaleAsync(person);
    }

    private async Task EndStaleAsync(Person person)
    {
        try { await sessions.EndStaleAsync(person); }
        catch (Exception e) when (e is not OutOfMemoryException) { LogFailed(e, person.Id); }
    }

    [LoggerMessage(LogLevel.Warning, "Could not end the stale live connections of person {PersonId}")]
    private partial void LogFailed(Exception e, string personId);
}
