using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Host.Incidents;

/// <summary>
/// The open <see cref="OpsHub"/> connections of each person with the role and scope their token gave them, so that a
/// deactivation or a change of role or scope ends them at once: a token is checked when a connection starts, but events
/// pushed to an open connection are not, and a wall screen stays connected for weeks. The client is told why
/// (<c>sessionEnded</c>) before its connection is closed. Driven by <see cref="Smart.Incidents.IncidentStore.PersonChanged"/>,
/// which also reports changes made on other hosts (PostgreSQL).
/// </summary>
public sealed partial class HubSessions(IHubContext<OpsHub> hub, ILogger<HubSessions> logger)
{
    private sealed record Connection(HubCallerContext Context, Actor Actor);

    // By connection id: a person's connections are found by scanning (person changes are rare, connections a few hundred),
    // so nothing is left behind when a person's last connection closes.
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    public void Add(Actor actor, HubCallerContext context) => _connections[context.ConnectionId] = new(context, actor);

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Ends the person's connections that no longer stand: all of them when deactivated, else those opened with
    /// another role or scope than the person's now.</summary>
    public async Task EndStaleAsync(Person person)
    {
        var now = Actor.Of(person);
        var reason = person.Active
            ? "Your role or area changed; sign in again. / 您的角色或管辖范围已变更，请重新登录。"
            : "Your account was deactivated. / 您的账号已停用。";
        var ended = 0;
        foreach (var (id, connection) in _connections)
        {
            if (connection.Actor.Id != person.Id || person.Active && connection.Actor == now) continue;
            if (!_connections.TryRemove(id, out _)) continue; // another change is ending it
            try { await hub.Clients.Client(id).SendAsync("sessionEnded", reason); }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException) { /* closing anyway */ }
            connection.Context.Abort();
            ended++;
        }
        if (ended > 0) LogEnded(person.Id, ended, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} live connection(s) of person {PersonId}: {Reason}")]
    private partial void LogEnded(string personId, int count, string reason);
}
