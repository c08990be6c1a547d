using Smart.Core.Incidents;
using Smart.Incidents.Tests.Core;
using Smart.Testing;

namespace Smart.Incidents.Tests;

public abstract class TransitionTests(IStoreProvider provider) : StoreTestBase(provider)
{
    private static readonly IReadOnlyList<string> NoFamily = IncidentTypes.All.Where(t => IncidentTypes.FamilyOf(t).Count == 0).ToList();

    [Fact]
    public async Task Every_allowed_and_forbidden_transition_from_every_state_is_enforced_by_the_store()
    {
        // Grid 9 has nobody on duty, so its incidents stay "new" (at community level).
        await Store.SetRosterAsync("g9", []);
        List<string> failures = [];
        var n = 0;
        foreach (var from in Enum.GetValues<IncidentState>())
        foreach (var action in Enum.GetValues<IncidentAction>())
        {
            n++;
            var grid = from == IncidentState.New ? 9 : 1;
            // A fresh incident each time: outside the families (whose findings join one incident per device) a device's
            // incidents are per type, and a device comes round again only with the next type.
            var raised = await RaiseAsync($"fire-g{grid}-b{1 + n % 5}-{1 + n / 5 % 6}", NoFamily[n / 30]);
            var incident = await DriveToAsync(raised.Incident.Id, from);
            var actor = action switch
            {
                IncidentAction.Accept or IncidentAction.Arrive or IncidentAction.Resolve => Person(incident.AssigneeId ?? $"p-g{grid}-w1"),
                IncidentAction.Close or IncidentAction.Reopen => CommunityOf(incident),
                _ => Operator,
            };
            var expected = IncidentWorkflowTests.Allowed.TryGetValue((from, action), out var to) ? to : (IncidentState?)null;
            try
            {
                var otherWorker = incident.AssigneeId == $"p-g{grid}-w2" ? $"p-g{grid}-w1" : $"p-g{grid}-w2";
                var change = await Store.TransitionAsync(incident.Id, action, actor, "reason given", action == IncidentAction.Dispatch ? otherWorker : null);
                var stored = await GetAsync(incident.Id);
                if (expected is null) failures.Add($"{from.Name()} --{action.Name()}--> was allowed");
                else if (stored.State != expected || change.Change != expected.Value.Name() || change.Seq <= 0)
                    failures.Add($"{from.Name()} --{action.Name()}--> {stored.State.Name()} / event {change.Change}, expected {expected.Value.Name()}");
            }
            catch (IncidentException e)
            {
                if (expected is not null) failures.Add($"{from.Name()} --{action.Name()}--> refused: {e.Message}");
                else if (e.Error != IncidentError.InvalidTransition) failures.Add($"{from.Name()} --{action.Name()}--> {e.Error}, expected InvalidTransition");
                else if ((await GetAsync(incident.Id)).State != from) failures.Add($"{from.Name()} --{action.Name()}--> refused but the state changed");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(56, n);
    }

    [Fact]
    public async Task Each_transition_is_recorded_with_who_when_why_and_from_to()
    {
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        Clock.Advance(TimeSpan.FromMinutes(2));
        await Store.TransitionAsync(id, IncidentAction.Accept, Worker(1), "on my way");
        var history = await Store.GetHistoryAsync(id, Scope.All);
        Assert.NotNull(history);
        Assert.Equal(["created", "dispatched", "accepted"], history.Select(h => h.Change));
        var accepted = history[^1];
        Assert.Equal(("p-g1-w1", "grid_worker", "on my way"), (accepted.ActorId, accepted.ActorRole, accepted.Note));
        Assert.Equal((IncidentState.Dispatched, IncidentState.Accepted), (accepted.FromState!.Value, accepted.ToState));
        Assert.Equal(Clock.GetUtcNow(), accepted.At);
        Assert.Equal("system", history[1].ActorId);
        Assert.True(history.Zip(history.Skip(1)).All(p => p.Second.Seq > p.First.Seq));
    }

    [Fact]
    public async Task Only_the_assignee_accepts_and_only_staff_verify()
    {
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        var assignee = (await GetAsync(id)).AssigneeId!;
        var other = assignee == "p-g1-w1" ? Worker(1, 2) : Worker(1, 1);
        Assert.Equal(IncidentError.Forbidden, (await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Accept, other))).Error);
        Assert.Equal(IncidentError.Forbidden, (await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Accept, Operator))).Error);
        await DriveToAsync(id, IncidentState.Resolved);
        Assert.Equal(IncidentError.Forbidden, (await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Close, Person(assignee)))).Error);
        Assert.Equal(IncidentError.Forbidden, (await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Close, Operator))).Error);
        Assert.Equal(IncidentState.Resolved, (await GetAsync(id)).State);
        Assert.Equal(IncidentState.Closed, (await Store.TransitionAsync(id, IncidentAction.Close, CommunityStaff(1), "核查通过")).Incident.State);
    }

    [Fact]
    public async Task Out_of_scope_actors_get_not_found_for_every_write()
    {
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        await DriveToAsync(id, IncidentState.Resolved);
        foreach (var actor in new[] { Worker(2), CommunityStaff(2) })
        {
            foreach (var action in Enum.GetValues<IncidentAction>())
                Assert.Equal(IncidentError.NotFound, (await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, action, actor, "x"))).Error);
            Assert.Equal(IncidentError.NotFound, (await Assert.ThrowsAsync<IncidentException>(() => Store.FeedbackAsync(id, 5, null, actor))).Error);
        }
        Assert.Equal(IncidentError.NotFound, (await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(999_999, IncidentAction.Accept, Operator))).Error);
    }

    [Fact]
    public async Task Rework_reopens_then_redispatches_and_satisfaction_is_recorded()
    {
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        await DriveToAsync(id, IncidentState.Reopened);
        Assert.Equal(1, (await GetAsync(id)).ReopenCount);
        await Store.TransitionAsync(id, IncidentAction.Dispatch, CommunityStaff(1), "返工", "p-g1-w2");
        var done = await DriveToAsync(id, IncidentState.Closed);
        Assert.Equal("p-g1-w2", done.AssigneeId);
        Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(() => Store.FeedbackAsync(id, 6, null, Operator))).Error);
        Assert.Equal(IncidentError.Forbidden, (await Assert.ThrowsAsync<IncidentException>(() => Store.FeedbackAsync(id, 4, null, Worker(1, 2)))).Error);
        var rated = await Store.FeedbackAsync(id, 4, "及时", Operator);
        Assert.Equal(("feedback", 4, "及时"), (rated.Change, rated.Incident.Satisfaction!.Value, rated.Incident.FeedbackComment!));
    }

    [Fact]
    public async Task Taking_an_incident_from_the_worker_who_accepted_it_needs_a_reason_and_someone_else()
    {
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        var onSite = await DriveToAsync(id, IncidentState.OnSite);
        var holder = onSite.AssigneeId!;
        var e = await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Dispatch, Operator, " ", "p-g1-w2"));
        Assert.Equal(IncidentError.Invalid, e.Error);
        Assert.Contains("reason", e.Message);
        e = await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Dispatch, Operator, "换人", holder));
        Assert.Equal(IncidentError.Invalid, e.Error);
        Assert.Contains("already with", e.Message);
        Assert.Equal((IncidentState.OnSite, holder), ((await GetAsync(id)).State, (await GetAsync(id)).AssigneeId));
        Assert.Equal(IncidentError.Forbidden, (await Assert.ThrowsAsync<IncidentException>(() =>
            Store.TransitionAsync(id, IncidentAction.Dispatch, Worker(1, 2), "I'll take it", "p-g1-w2"))).Error);

        var other = holder == "p-g1-w1" ? "p-g1-w2" : "p-g1-w1";
        var change = await Store.TransitionAsync(id, IncidentAction.Dispatch, CommunityStaff(1), "原处理人下班 off shift", other);
        Assert.Equal(("dispatched", IncidentState.Dispatched, other), (change.Change, change.Incident.State, change.Incident.AssigneeId));
        var last = (await Store.GetHistoryAsync(id, Scope.All))![^1];
        Assert.Equal((IncidentState.OnSite, "p-c1", $"→ {other}: 原处理人下班 off shift"), (last.FromState!.Value, last.ActorId, last.Note));
        Assert.Equal(IncidentError.Forbidden, (await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Accept, Person(holder)))).Error);
        Assert.Equal(IncidentState.Closed, (await DriveToAsync(id, IncidentState.Closed)).State);
    }

    [Fact]
    public async Task Dispatch_to_someone_outside_the_incidents_grid_is_refused()
    {
        await Store.SetRosterAsync("g9", []);
        var id = (await RaiseAsync("fire-g9-b1-1")).Incident.Id;
        var e = await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Dispatch, Operator, null, "p-g1-w1"));
        Assert.Equal(IncidentError.Invalid, e.Error);
        e = await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Dispatch, Operator, null, null));
        Assert.Contains("Nobody is on duty", e.Message);
        Assert.Equal("p-c3", (await Store.TransitionAsync(id, IncidentAction.Dispatch, Operator, null, "p-c3")).Incident.AssigneeId);
    }
}

public sealed class SqliteTransitionTests() : TransitionTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresTransitionTests(PostgresFixture postgres) : TransitionTests(new PostgresProvider(postgres));
