using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Smart.Host.Incidents;

/// <summary>
/// The open <see cref="OpsHub"/> connections of each person, so that a deactivation or a change of role or scope ends
/// them at once: a token is checked when a connection starts, but events pushed to an open connection are not, and a
/// wall screen stays connected for weeks. The client is told why (<c>sessionEnded</c>) before its connection is closed.
/// </summary>
public sealed partial class HubSessions(IHubContext<OpsHub> hub, ILogger<HubSessions> logger)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byPerson = new(StringComparer.Ordinal);

    public void Add(string personId, HubCallerContext context) =>
        _byPerson.GetOrAdd(personId, _ => new(StringComparer.Ordinal))[context.ConnectionId] = context;

    public void Remove(string personId, string connectionId)
    {
        if (_byPerson.TryGetValue(personId, out var connections)) connections.TryRemove(connectionId, out _);
    }

    /// <summary>Tells each of the person's connections why it ends, then closes it.</summary>
    public async Task EndAsync(string personId, string reason)
    {
        if (!_byPerson.TryRemove(personId, out var connections)) return;
        foreach (var (id, context) in connections)
        {
            try { await hub.Clients.Client(id).SendAsync("sessionEnded", reason); }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException) { /* closing anyway */ }
            context.Abort();
        }
        LogEnded(personId, connections.Count, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} live connection(s) of person {PersonId}: {Reason}")]
    private partial void LogEnded(string personId, int count, string reason);
}
