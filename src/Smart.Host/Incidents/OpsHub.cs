using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>
/// <c>/hubs/ops</c> (DESIGN §9): pushes <c>incident</c>, <c>telemetry</c> and <c>kpis</c>; clients resume after a gap
/// with <see cref="Resume"/> and work their incidents. A connection only sees and acts on what its scope covers.
/// </summary>
[Authorize]
public sealed class OpsHub(IncidentStore store, IncidentPresenter presenter, HubSessions sessions) : Hub
{
    private const int MaxResume = 5000;

    public override async Task OnConnectedAsync()
    {
        var actor = Context.User?.GetActor();
        if (actor is null)
        {
            Context.Abort();
            return;
        }
        sessions.Add(actor, Context);
        await Groups.AddToGroupAsync(Context.ConnectionId, actor.Scope.HubGroup());
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Incident events after <paramref name="afterSeq"/> that the caller's scope covers, oldest first (at most 5000).</summary>
    public async Task<IReadOnlyList<IncidentEventDto>> Resume(long afterSeq)
    {
        var actor = await CurrentActorAsync();
        var result = new List<IncidentEventDto>();
        while (result.Count < MaxResume)
        {
            var events = await store.ReadEventsAsync(afterSeq, 500);
            if (events.Count == 0) break;
            foreach (var e in events)
                if (actor.Scope.Covers(e.Incident)) result.Add(presenter.AsDto(e));
            afterSeq = events[^1].Seq;
        }
        return result;
    }

    public Task<IncidentDto> Accept(long id) => TransitionAsync(id, IncidentAction.Accept, null);

    public Task<IncidentDto> Arrive(long id) => TransitionAsync(id, IncidentAction.Arrive, null);

    public Task<IncidentDto> Resolve(long id, string? note) => TransitionAsync(id, IncidentAction.Resolve, note);

    private async Task<IncidentDto> TransitionAsync(long id, IncidentAction action, string? note)
    {
        var actor = await CurrentActorAsync();
        try
        {
            var change = await store.TransitionAsync(id, action, actor, note);
            return presenter.AsDto(change.Incident);
        }
        catch (IncidentException e)
        {
            // HubException: the message reaches the client (others are hidden by design).
            throw new HubException(e.Message);
        }
    }

    /// <summary>
    /// The caller, while their session stands: <see cref="HubSessions"/> closes a person's connections when they are
    /// deactivated or their role or scope changes; this refuses a call that races with that.
    /// </summary>
    private async Task<Actor> CurrentActorAsync()
    {
        var actor = Context.User?.GetActor() ?? throw new HubException("Your token carries no role or scope; log in again.");
        if (await SessionCheck.StandsAsync(Context.User!, store, Context.ConnectionAborted)) return actor;
        throw new HubException("Your account was deactivated or changed; sign in again. / 账号已停用或已变更，请重新登录。");
    }
}
