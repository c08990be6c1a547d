using Smart.Core.Incidents;
using Smart.Testing;

namespace Smart.Incidents.Tests;

public abstract class TimerTests(IStoreProvider provider) : StoreTestBase(provider)
{
    private static readonly TimeSpan Ms1 = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Each_missed_limit_escalates_one_level_exactly_once()
    {
        // fire.smoke P1: accept 5 min, arrive 15 min, resolve 2 h.
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        Clock.Advance(TimeSpan.FromMinutes(5) - Ms1);
        Assert.Equal(0, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Clock.Advance(Ms1);
        Assert.Equal(1, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Assert.Equal(IncidentLevel.Community, (await GetAsync(id)).Level);
        Assert.Equal(0, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        var atStreet = await GetAsync(id);
        Assert.Equal((IncidentLevel.Street, 2), (atStreet.Level, atStreet.EscalationCount));
        Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(1, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Assert.Equal(0, await Store.ProcessDueTimersAsync(Clock.GetUtcNow() + TimeSpan.FromDays(30)));
        var changes = (await Store.GetHistoryAsync(id, Scope.All))!.Select(h => h.Change);
        Assert.Equal(["created", "dispatched", "escalated", "escalated", "overdue"], changes);
        Assert.Equal(IncidentLevel.Street, (await GetAsync(id)).Level);
    }

    [Fact]
    public async Task A_limit_met_in_time_never_escalates()
    {
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        var assignee = Person((await GetAsync(id)).AssigneeId!);
        Clock.Advance(TimeSpan.FromMinutes(4));
        await Store.TransitionAsync(id, IncidentAction.Accept, assignee);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await Store.TransitionAsync(id, IncidentAction.Arrive, assignee);
        await Store.TransitionAsync(id, IncidentAction.Resolve, assignee, "误报已复位");
        Clock.Advance(TimeSpan.FromHours(3));
        await Store.TransitionAsync(id, IncidentAction.Close, CommunityStaff(1), "现场核查无误 verified on site");
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Assert.Equal((IncidentLevel.Grid, 0), ((await GetAsync(id)).Level, (await GetAsync(id)).EscalationCount));
        Assert.Null(await Store.NextDueAsync());
    }

    [Fact]
    public async Task A_resolved_incident_staff_do_not_verify_in_time_escalates_and_can_still_be_closed()
    {
        // fire.smoke P1: verification (核查) within 4 h of the worker's resolution.
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        var assignee = Person((await GetAsync(id)).AssigneeId!);
        foreach (var a in new[] { IncidentAction.Accept, IncidentAction.Arrive, IncidentAction.Resolve })
            await Store.TransitionAsync(id, a, assignee);
        var resolvedAt = Clock.GetUtcNow();
        Assert.Equal(resolvedAt + TimeSpan.FromHours(4), (await GetAsync(id)).VerifyDueAt);
        Assert.Equal(resolvedAt + TimeSpan.FromHours(4), await Store.NextDueAsync());
        Clock.Advance(TimeSpan.FromHours(4) - Ms1);
        Assert.Equal(0, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Clock.Advance(Ms1);
        Assert.Equal(1, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        var escalated = await GetAsync(id);
        Assert.Equal((IncidentState.Resolved, IncidentLevel.Community, 1), (escalated.State, escalated.Level, escalated.EscalationCount));
        var last = (await Store.GetHistoryAsync(id, Scope.All))![^1];
        Assert.Equal("escalated", last.Change);
        Assert.StartsWith("核查超时 missed verify limit", last.Note);
        Assert.Null(await Store.NextDueAsync());
        var closed = (await Store.TransitionAsync(id, IncidentAction.Close, CommunityStaff(1))).Incident;
        Assert.Equal(IncidentState.Closed, closed.State);
    }

    [Fact]
    public async Task Rework_stops_the_verification_limit_and_the_next_resolution_starts_it_again()
    {
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        var assignee = Person((await GetAsync(id)).AssigneeId!);
        foreach (var a in new[] { IncidentAction.Accept, IncidentAction.Arrive, IncidentAction.Resolve })
            await Store.TransitionAsync(id, a, assignee);
        Clock.Advance(TimeSpan.FromHours(1));
        var reopened = (await Store.TransitionAsync(id, IncidentAction.Reopen, CommunityStaff(1), "烟感仍报警 still alarming")).Incident;
        Assert.Null(reopened.VerifyDueAt);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromMinutes(5), await Store.NextDueAsync()); // the rework's accept limit
        await Store.TransitionAsync(id, IncidentAction.Dispatch, CommunityStaff(1), null, assignee.Id);
        foreach (var a in new[] { IncidentAction.Accept, IncidentAction.Arrive, IncidentAction.Resolve })
            await Store.TransitionAsync(id, a, assignee);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromHours(4), (await GetAsync(id)).VerifyDueAt);
        // The first resolution's limit (4 h after it, 3 h from now) fires nothing.
        Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Assert.Equal(IncidentLevel.Community, (await GetAsync(id)).Level);
    }

    [Fact]
    public async Task A_type_configured_without_a_verification_limit_has_none()
    {
        var store = await Provider.CreateAsync(Clock, o => o.Sla.Types[IncidentTypes.ChargerLeakage] =
            new SlaLimits(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3)));
        var id = (await store.RaiseAsync(new AlertInput("chg-g1-b1-1", IncidentTypes.ChargerLeakage, null, "leak_ma", 40, "leak", Clock.GetUtcNow()))).Incident.Id;
        var worker = Person((await store.GetAsync(id, Scope.All))!.AssigneeId!);
        foreach (var a in new[] { IncidentAction.Accept, IncidentAction.Arrive, IncidentAction.Resolve })
            await store.TransitionAsync(id, a, worker);
        Assert.Null((await store.GetAsync(id, Scope.All))!.VerifyDueAt);
        Assert.Null(await store.NextDueAsync());
    }

    [Fact]
    public async Task Limits_come_from_configuration_and_a_reopen_restarts_them()
    {
        var store = await Provider.CreateAsync(Clock, o => o.Sla.Types[IncidentTypes.ChargerLeakage] =
            new SlaLimits(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3)));
        var id = (await store.RaiseAsync(new AlertInput("chg-g1-b1-1", IncidentTypes.ChargerLeakage, null, "leak_ma", 40, "leak", Clock.GetUtcNow()))).Incident.Id;
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromMinutes(1), await store.NextDueAsync());
        var worker = Person((await store.GetAsync(id, Scope.All))!.AssigneeId!);
        foreach (var a in new[] { IncidentAction.Accept, IncidentAction.Arrive, IncidentAction.Resolve })
            await store.TransitionAsync(id, a, worker);
        Clock.Advance(TimeSpan.FromMinutes(30));
        await store.TransitionAsync(id, IncidentAction.Reopen, CommunityStaff(1), "现场仍漏电 still leaking");
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromMinutes(1), await store.NextDueAsync());
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        var reopened = await store.GetAsync(id, Scope.All);
        Assert.Equal((IncidentLevel.Community, Clock.GetUtcNow() + TimeSpan.FromMinutes(2)), (reopened!.Level, reopened.ResolveDueAt!.Value));
        Assert.Equal((Clock.GetUtcNow(), Clock.GetUtcNow() + TimeSpan.FromMinutes(1)), (reopened.AcceptDueAt!.Value, reopened.ArriveDueAt!.Value));
    }

    [Fact]
    public async Task Redispatching_an_accepted_incident_gives_the_new_assignee_fresh_accept_and_arrive_limits()
    {
        // fire.smoke P1: accept 5 min, arrive 15 min, resolve 2 h.
        var raisedAt = Clock.GetUtcNow();
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        var first = (await GetAsync(id)).AssigneeId!;
        var second = first == "p-g1-w1" ? "p-g1-w2" : "p-g1-w1";
        Clock.Advance(TimeSpan.FromMinutes(2));
        await Store.TransitionAsync(id, IncidentAction.Accept, Person(first));
        Clock.Advance(TimeSpan.FromMinutes(8));
        var moved = (await Store.TransitionAsync(id, IncidentAction.Dispatch, CommunityStaff(1), "原处理人生病 assignee ill", second)).Incident;
        Assert.Equal((IncidentState.Dispatched, second), (moved.State, moved.AssigneeId));
        Assert.Equal((Clock.GetUtcNow() + TimeSpan.FromMinutes(5), Clock.GetUtcNow() + TimeSpan.FromMinutes(15), raisedAt + TimeSpan.FromHours(2)),
            (moved.AcceptDueAt!.Value, moved.ArriveDueAt!.Value, moved.ResolveDueAt!.Value));
        Assert.Equal(IncidentError.Forbidden, (await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(id, IncidentAction.Accept, Person(first)))).Error);

        // The original arrive limit (15 min after raising) passes without an escalation; the new accept limit escalates.
        Clock.Advance(TimeSpan.FromMinutes(5) - Ms1);
        Assert.Equal(0, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Clock.Advance(Ms1);
        Assert.Equal(1, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Assert.Equal(IncidentLevel.Community, (await GetAsync(id)).Level);
    }

    [Fact]
    public async Task Timers_survive_a_restart_of_the_store()
    {
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        var restarted = await Provider.OpenSiblingAsync(Store, Clock, "after-restart");
        Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await restarted.ProcessDueTimersAsync());
        Assert.Equal(IncidentLevel.Community, (await GetAsync(id)).Level);
        Assert.True(restarted.LastSeq >= 3);
    }

    [Fact]
    public async Task Escalation_notifies_the_new_level_through_the_outbox()
    {
        var id = (await RaiseAsync("fire-g1-b1-1")).Incident.Id;
        var before = Store.LastSeq;
        var wait = Store.WaitForEventsAsync(before, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Store.ProcessDueTimersAsync();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        var ev = Assert.Single(await Store.ReadEventsAsync(before, 10));
        Assert.Equal(("escalated", id, IncidentLevel.Community), (ev.Change, ev.Incident.Id, ev.Incident.Level));
        Assert.True(Scope.Community("c1").Covers(ev.Incident));
    }
}

public sealed class SqliteTimerTests() : TimerTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresTimerTests(PostgresFixture postgres) : TimerTests(new PostgresProvider(postgres))
{
    [Fact]
    public async Task Two_hosts_racing_on_the_same_due_timers_escalate_each_exactly_once()
    {
        const int incidents = 60;
        var hostB = await Provider.OpenSiblingAsync(Store, Clock, "host-b");
        var hostA = await Provider.OpenSiblingAsync(Store, Clock, "host-a");
        var devices = District.Demo.Devices.Where(d => d.Kind == Smart.Core.DeviceKind.Fire).Take(incidents).ToList();
        foreach (var d in devices) await RaiseAsync(d.Id);
        Clock.Advance(TimeSpan.FromMinutes(5)); // every accept limit is due now
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = new[] { hostA, hostB, hostA, hostB }.Select(h => Task.Run(async () => { await go.Task; return await h.ProcessDueTimersAsync(Clock.GetUtcNow()); })).ToList();
        go.SetResult();
        var handled = await Task.WhenAll(racers);
        Assert.Equal(incidents, handled.Sum());
        var events = await Store.ReadEventsAsync(0, 10_000);
        var escalations = events.Where(e => e.Change == "escalated").ToList();
        Assert.Equal(incidents, escalations.Count);
        Assert.Equal(incidents, escalations.Select(e => e.Incident.Id).Distinct().Count());
        var page = await Store.ListAsync(new IncidentQuery { Limit = 500 }, Scope.All);
        Assert.All(page.Items, i => Assert.Equal((IncidentLevel.Community, 1), (i.Level, i.EscalationCount)));
    }
}

[Collection("postgres")]
public sealed class PostgresNotifyTests(PostgresFixture postgres) : StoreTestBase(new PostgresProvider(postgres))
{
    [Fact]
    public async Task Another_host_learns_of_new_events_through_listen_notify()
    {
        var other = await Provider.OpenSiblingAsync(Store, Clock, "host-b");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var listening = other.ListenAsync(cts.Token);
        var before = other.LastSeq;
        var woke = other.WaitForEventsAsync(before, cts.Token);
        // LISTEN takes effect once its command ran; raise until the other host hears one (bounded: 50 tries).
        long seq = 0;
        for (var i = 1; i <= 50 && !woke.IsCompleted; i++)
        {
            seq = (await RaiseAsync($"fire-g{1 + i % 9}-b1-{1 + i / 9 % 6}", IncidentTypes.FireCo)).Seq;
            await Task.WhenAny(woke, Task.Delay(100, cts.Token));
        }
        await woke.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(other.LastSeq > before && other.LastSeq <= seq);
        cts.Cancel();
        await listening;
    }
}
