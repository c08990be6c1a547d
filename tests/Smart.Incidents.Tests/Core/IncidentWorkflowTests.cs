using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Incidents.Tests.Core;

/// <summary>The state machine and permissions of DESIGN §8, checked against tables written out here by hand.</summary>
public sealed class IncidentWorkflowTests
{
    private const IncidentState N = IncidentState.New, D = IncidentState.Dispatched, A = IncidentState.Accepted, O = IncidentState.OnSite,
        R = IncidentState.Resolved, C = IncidentState.Closed, X = IncidentState.Cancelled, Re = IncidentState.Reopened;

    /// <summary>Every allowed (from, action) → to; everything else is forbidden.</summary>
    public static readonly Dictionary<(IncidentState, IncidentAction), IncidentState> Allowed = new()
    {
        [(N, IncidentAction.Dispatch)] = D, [(Re, IncidentAction.Dispatch)] = D, [(D, IncidentAction.Dispatch)] = D,
        [(A, IncidentAction.Dispatch)] = D, [(O, IncidentAction.Dispatch)] = D,
        [(D, IncidentAction.Accept)] = A,
        [(A, IncidentAction.Arrive)] = O,
        [(O, IncidentAction.Resolve)] = R,
        [(R, IncidentAction.Close)] = C,
        [(R, IncidentAction.Reopen)] = Re,
        [(N, IncidentAction.Cancel)] = X, [(D, IncidentAction.Cancel)] = X, [(A, IncidentAction.Cancel)] = X,
        [(O, IncidentAction.Cancel)] = X, [(Re, IncidentAction.Cancel)] = X,
    };

    [Fact]
    public void Every_state_and_action_pair_is_allowed_exactly_as_the_design_says()
    {
        var checkedPairs = 0;
        foreach (var from in Enum.GetValues<IncidentState>())
        foreach (var action in Enum.GetValues<IncidentAction>())
        {
            var expected = Allowed.TryGetValue((from, action), out var to) ? to : (IncidentState?)null;
            Assert.True(expected == IncidentWorkflow.Target(from, action), $"{from.Name()} --{action.Name()}--> expected {expected?.Name() ?? "refused"}");
            checkedPairs++;
        }
        Assert.Equal(56, checkedPairs);
    }

    private static Incident At(IncidentState state, string grid = "g1", string community = "c1", string? assignee = "p-g1-w1", string? reporter = null) => new()
    {
        Id = 7, Type = IncidentTypes.FireSmoke, Severity = Severity.P1, Level = IncidentLevel.Grid, State = state,
        Location = new IncidentLocation("st1", community, grid), Title = "t", CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch, AssigneeId = assignee, ReporterId = reporter,
    };

    private static readonly Actor Assignee = new("p-g1-w1", Role.GridWorker, Scope.Grid("g1"));
    private static readonly Actor OtherWorker = new("p-g1-w2", Role.GridWorker, Scope.Grid("g1"));
    private static readonly Actor Community = new("p-c1", Role.CommunityStaff, Scope.Community("c1"));
    private static readonly Actor Street = new("p-st1", Role.StreetStaff, Scope.Street("st1"));
    private static readonly Actor Operator = new("p-op1", Role.Operator, Scope.All);
    private static readonly Actor Admin = new("p-admin", Role.Admin, Scope.All);

    public static TheoryData<string, IncidentAction, bool> Permissions()
    {
        var actors = new[] { "assignee", "other_worker", "community", "street", "operator", "admin", "system" };
        // Hand-written: who may do what (role + being the assignee).
        var may = new Dictionary<IncidentAction, string[]>
        {
            [IncidentAction.Dispatch] = ["community", "street", "operator", "admin", "system"],
            [IncidentAction.Accept] = ["assignee"],
            [IncidentAction.Arrive] = ["assignee"],
            [IncidentAction.Resolve] = ["assignee"],
            [IncidentAction.Close] = ["community", "street", "admin"],
            [IncidentAction.Reopen] = ["community", "street", "admin"],
            [IncidentAction.Cancel] = ["community", "street", "operator", "admin"],
        };
        var data = new TheoryData<string, IncidentAction, bool>();
        foreach (var (action, who) in may)
            foreach (var actor in actors) data.Add(actor, action, who.Contains(actor));
        return data;
    }

    [Theory]
    [MemberData(nameof(Permissions))]
    public void Only_the_right_role_may_do_each_transition(string who, IncidentAction action, bool permitted)
    {
        var actor = who switch
        {
            "assignee" => Assignee, "other_worker" => OtherWorker, "community" => Community, "street" => Street,
            "operator" => Operator, "admin" => Admin, _ => Actor.System,
        };
        var from = Allowed.Keys.First(k => k.Item2 == action).Item1;
        if (permitted)
        {
            Assert.Equal(Allowed[(from, action)], IncidentWorkflow.Validate(actor, At(from), action, "reason"));
        }
        else
        {
            var e = Assert.Throws<IncidentException>(() => IncidentWorkflow.Validate(actor, At(from), action, "reason"));
            Assert.Equal(IncidentError.Forbidden, e.Error);
        }
    }

    [Fact]
    public void Out_of_scope_is_not_found_before_anything_else()
    {
        var otherGrid = new Actor("p-g2-w1", Role.GridWorker, Scope.Grid("g2"));
        var otherCommunity = new Actor("p-c2", Role.CommunityStaff, Scope.Community("c2"));
        foreach (var actor in new[] { otherGrid, otherCommunity })
        foreach (var action in Enum.GetValues<IncidentAction>())
            Assert.Equal(IncidentError.NotFound, Assert.Throws<IncidentException>(() => IncidentWorkflow.Validate(actor, At(D), action, "x")).Error);
    }

    [Fact]
    public void Wrong_state_is_an_invalid_transition_and_says_what_is_allowed()
    {
        var e = Assert.Throws<IncidentException>(() => IncidentWorkflow.Validate(Assignee, At(R), IncidentAction.Accept, null));
        Assert.Equal(IncidentError.InvalidTransition, e.Error);
        Assert.Contains("close, reopen", e.Message);
    }

    [Theory]
    [InlineData(IncidentAction.Cancel)]
    [InlineData(IncidentAction.Reopen)]
    public void Cancel_and_reopen_need_a_reason(IncidentAction action)
    {
        var from = action == IncidentAction.Cancel ? D : R;
        Assert.Equal(IncidentError.Invalid, Assert.Throws<IncidentException>(() => IncidentWorkflow.Validate(Community, At(from), action, "  ")).Error);
    }

    [Fact]
    public void Escalation_goes_grid_community_street_and_stops()
    {
        Assert.Equal(IncidentLevel.Community, IncidentLevel.Grid.Up());
        Assert.Equal(IncidentLevel.Street, IncidentLevel.Community.Up());
        Assert.Null(IncidentLevel.Street.Up());
    }

    [Fact]
    public void Sla_policy_uses_the_type_entry_then_the_severity_default()
    {
        var policy = new SlaPolicy();
        Assert.Equal(TimeSpan.FromMinutes(3), policy.For(IncidentTypes.FireConfirmed, Severity.P1).Accept);
        Assert.Equal(TimeSpan.FromMinutes(15), policy.For(IncidentTypes.ChargerOverheat, Severity.P2).Accept);
        policy.Types[IncidentTypes.ChargerOverheat] = new SlaLimits(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));
        Assert.Equal(TimeSpan.FromMinutes(2), policy.For(IncidentTypes.ChargerOverheat, Severity.P2).Arrive);
    }

    [Fact]
    public void Every_shared_type_has_a_title_and_a_default_severity()
    {
        Assert.Equal(22, IncidentTypes.All.Count);
        foreach (var type in IncidentTypes.All)
        {
            Assert.NotEqual(type, IncidentTitles.For(type));
            Assert.InRange((int)IncidentTypes.DefaultSeverity(type), 1, 4);
        }
        Assert.False(IncidentTypes.IsKnown("fire.unknown"));
    }
}
