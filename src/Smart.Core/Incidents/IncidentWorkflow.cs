namespace Smart.Core.Incidents;

/// <summary>Why a change was refused; the API maps these to 404, 403, 409 (wrong state, conflict) and 400.</summary>
public enum IncidentError
{
    /// <summary>No such incident, or outside the caller's scope (never tell which).</summary>
    NotFound,
    /// <summary>In scope, but the caller's role may not do this.</summary>
    Forbidden,
    /// <summary>Not allowed from the incident's current state.</summary>
    InvalidTransition,
    /// <summary>Bad input (missing reason, unknown assignee, satisfaction out of range…).</summary>
    Invalid,
    /// <summary>Conflicts with what exists: the last active administrator, a place that still holds places, devices, people or incidents.</summary>
    Conflict,
}

/// <summary>A refused change, with a message that says what to do.</summary>
public sealed class IncidentException(IncidentError error, string message) : Exception(message)
{
    public IncidentError Error { get; } = error;
}

/// <summary>
/// The state machine of DESIGN §8 and who may drive it:
/// <code>
/// new → dispatched → accepted → on_site → resolved → closed
///   ↘ cancelled (false alarm, with reason)        resolved → reopened (返工) → dispatched
/// </code>
/// Dispatch is also allowed from dispatched, accepted and on_site (改派, reassignment: the usual remedy after a missed
/// accept limit, or when the assignee cannot finish — ill, off shift, deactivated). Taking an incident from someone who
/// has accepted it needs a reason, and goes to someone else.
/// Accept, arrive and resolve are the assignee's; verification (close/reopen, 核查结案) is community or street
/// staff's (or an admin's); dispatch and cancel are for the operations centre, staff, admins and (dispatch) the system.
/// </summary>
public static class IncidentWorkflow
{
    /// <summary>The state an action leads to from <paramref name="from"/>, or null if the action is not allowed there.</summary>
    public static IncidentState? Target(IncidentState from, IncidentAction action) => (action, from) switch
    {
        (IncidentAction.Dispatch, IncidentState.New or IncidentState.Reopened or IncidentState.Dispatched
            or IncidentState.Accepted or IncidentState.OnSite) => IncidentState.Dispatched,
        (IncidentAction.Accept, IncidentState.Dispatched) => IncidentState.Accepted,
        (IncidentAction.Arrive, IncidentState.Accepted) => IncidentState.OnSite,
        (IncidentAction.Resolve, IncidentState.OnSite) => IncidentState.Resolved,
        (IncidentAction.Close, IncidentState.Resolved) => IncidentState.Closed,
        (IncidentAction.Reopen, IncidentState.Resolved) => IncidentState.Reopened,
        (IncidentAction.Cancel, IncidentState.New or IncidentState.Dispatched or IncidentState.Accepted
            or IncidentState.OnSite or IncidentState.Reopened) => IncidentState.Cancelled,
        _ => null,
    };

    /// <summary>Whether the actor's role lets them do the action on this incident (scope is checked separately).</summary>
    public static bool IsPermitted(Actor actor, Incident incident, IncidentAction action) => action switch
    {
        IncidentAction.Dispatch => actor.IsSystem || actor.Role is Role.Operator or Role.Admin or Role.CommunityStaff or Role.StreetStaff,
        IncidentAction.Accept or IncidentAction.Arrive or IncidentAction.Resolve =>
            !actor.IsSystem && incident.AssigneeId is not null && actor.Id == incident.AssigneeId,
        IncidentAction.Close or IncidentAction.Reopen => actor.Role is Role.CommunityStaff or Role.StreetStaff or Role.Admin,
        IncidentAction.Cancel => actor.Role is Role.Operator or Role.Admin or Role.CommunityStaff or Role.StreetStaff,
        _ => false,
    };

    /// <summary>Who may record satisfaction (反馈评价): the operations centre, staff, admins, and the reporter.</summary>
    public static bool MayGiveFeedback(Actor actor, Incident incident) =>
        actor.Role is Role.Operator or Role.Admin or Role.CommunityStaff or Role.StreetStaff
        || (!actor.IsSystem && actor.Id == incident.ReporterId);

    /// <summary>
    /// Validates a transition in the order the caller should learn about problems: scope (not found), state (invalid
    /// transition — the caller can see the state anyway), role (forbidden), input. Returns the target state.
    /// </summary>
    public static IncidentState Validate(Actor actor, Incident incident, IncidentAction action, string? note)
    {
        if (!actor.Scope.Covers(incident))
            throw new IncidentException(IncidentError.NotFound, $"Incident {incident.Id} not found.");
        var target = Target(incident.State, action)
            ?? throw new IncidentException(IncidentError.InvalidTransition,
                $"Cannot {action.Name()} incident {incident.Id}: it is {incident.State.Name()}. Allowed from there: {string.Join(", ", AllowedFrom(incident.State).Select(a => a.Name()))}.");
        if (!IsPermitted(actor, incident, action))
            throw new IncidentException(IncidentError.Forbidden, ForbiddenMessage(actor, incident, action));
        if (action is IncidentAction.Cancel or IncidentAction.Reopen && string.IsNullOrWhiteSpace(note))
            throw new IncidentException(IncidentError.Invalid, $"A reason is required to {action.Name()} incident {incident.Id}.");
        if (action == IncidentAction.Dispatch && IsInHand(incident.State) && string.IsNullOrWhiteSpace(note))
            throw new IncidentException(IncidentError.Invalid,
                $"Incident {incident.Id} is {incident.State.Name()} by {incident.AssigneeId}: give a reason to re-dispatch it. / 处理人已接单，改派须填写原因。");
        return target;
    }

    /// <summary>Whether an assignee has accepted the incident and not yet resolved it.</summary>
    public static bool IsInHand(IncidentState state) => state is IncidentState.Accepted or IncidentState.OnSite;

    public static IEnumerable<IncidentAction> AllowedFrom(IncidentState state) =>
        Enum.GetValues<IncidentAction>().Where(a => Target(state, a) is not null);

    /// <summary>The event name a transition emits: the target state's name.</summary>
    public static string ChangeName(IncidentState target) => target.Name();

    private static string ForbiddenMessage(Actor actor, Incident incident, IncidentAction action) => action switch
    {
        IncidentAction.Accept or IncidentAction.Arrive or IncidentAction.Resolve =>
            $"Only the assignee ({incident.AssigneeId ?? "nobody yet; dispatch it first"}) may {action.Name()} incident {incident.Id}.",
        IncidentAction.Close or IncidentAction.Reopen => $"Verification (核查结案) of incident {incident.Id} is for community or street staff, not {actor.RoleName}.",
        _ => $"A {actor.RoleName} may not {action.Name()} incident {incident.Id}.",
    };
}
