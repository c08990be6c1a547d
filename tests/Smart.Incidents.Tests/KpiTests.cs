using Smart.Core.Incidents;
using Smart.Testing;

namespace Smart.Incidents.Tests;

/// <summary>KPIs over a fixed, hand-written history; the expected numbers are worked out in the comments.</summary>
public abstract class KpiTests(IStoreProvider provider) : StoreTestBase(provider)
{
    private async Task<(long I1, long I2, long I3, long I4, long I5)> WriteHistoryAsync()
    {
        var t0 = Clock.GetUtcNow();
        void At(double minutes) => Clock.Advance(t0 + TimeSpan.FromMinutes(minutes) - Clock.GetUtcNow());
        var i1 = (await RaiseAsync("fire-g1-b1-1")).Incident;                                  // c1/g1, P1: 5 m / 15 m / 2 h
        var i2 = (await RaiseAsync("chg-g1-b1-1", IncidentTypes.ChargerOverheat)).Incident;    // c1/g1, P2: 15 m / 1 h / 8 h
        var i3 = (await RaiseAsync("fire-g2-b1-1")).Incident;                                  // c1/g2, P1
        var i4 = (await RaiseAsync("cam-g2-b1", IncidentTypes.CameraBlocked)).Incident;        // c1/g2, P3
        var i5 = (await RaiseAsync("fire-g5-b1-1")).Incident;                                  // c2/g5, never handled
        At(2);
        await Store.TransitionAsync(i1.Id, IncidentAction.Accept, Person(i1.AssigneeId!));
        await Store.TransitionAsync(i3.Id, IncidentAction.Accept, Person(i3.AssigneeId!));
        At(10);
        await Store.TransitionAsync(i1.Id, IncidentAction.Arrive, Person(i1.AssigneeId!));
        await Store.TransitionAsync(i3.Id, IncidentAction.Arrive, Person(i3.AssigneeId!));
        At(16);
        Assert.Equal(3, await Store.ProcessDueTimersAsync()); // i2 accept → community; i5 accept → community, arrive → street
        At(20);
        await Store.TransitionAsync(i2.Id, IncidentAction.Accept, Person(i2.AssigneeId!));
        await Store.TransitionAsync(i4.Id, IncidentAction.Cancel, Operator, "误报: 镜头上是落叶 leaf on the lens");
        At(30);
        await Store.TransitionAsync(i2.Id, IncidentAction.Arrive, Person(i2.AssigneeId!));
        await Store.TransitionAsync(i1.Id, IncidentAction.Resolve, Person(i1.AssigneeId!));
        await Store.TransitionAsync(i3.Id, IncidentAction.Resolve, Person(i3.AssigneeId!));
        At(40);
        await Store.TransitionAsync(i1.Id, IncidentAction.Close, CommunityStaff(1));
        await Store.FeedbackAsync(i1.Id, 5, "很快", Operator);
        await Store.TransitionAsync(i3.Id, IncidentAction.Reopen, CommunityStaff(1), "烟味仍在 still smells of smoke");
        await Store.TransitionAsync(i3.Id, IncidentAction.Dispatch, CommunityStaff(1), null, i3.AssigneeId);
        At(44);
        await Store.TransitionAsync(i3.Id, IncidentAction.Accept, Person(i3.AssigneeId!));
        At(50);
        await Store.TransitionAsync(i3.Id, IncidentAction.Arrive, Person(i3.AssigneeId!));
        At(60);
        await Store.TransitionAsync(i3.Id, IncidentAction.Resolve, Person(i3.AssigneeId!));
        At(70);
        await Store.TransitionAsync(i3.Id, IncidentAction.Close, CommunityStaff(1));
        await Store.FeedbackAsync(i3.Id, 3, null, CommunityStaff(1));
        At(481);
        Assert.Equal(2, await Store.ProcessDueTimersAsync()); // i2 resolve (8 h) → street; i5 resolve (2 h) → overdue
        At(540);
        await Store.TransitionAsync(i2.Id, IncidentAction.Resolve, Person(i2.AssigneeId!));
        At(550);
        await Store.TransitionAsync(i2.Id, IncidentAction.Close, StreetStaff);
        await Store.FeedbackAsync(i2.Id, 4, null, Operator);
        At(560);
        return (i1.Id, i2.Id, i3.Id, i4.Id, i5.Id);
    }

    [Fact]
    public async Task Community_kpis_equal_the_hand_computed_values()
    {
        await WriteHistoryAsync();
        var from = ManualClock.DefaultStart;
        var k = await Store.GetKpisAsync(Scope.Community("c1"), from, from + TimeSpan.FromDays(1));
        // c1: i1, i2, i3 closed; i4 cancelled.
        Assert.Equal((4, 0, 3, 1), (k.Total, k.Open, k.Closed, k.Cancelled));
        Assert.Equal(1.0, k.ClosureRate);                 // 3 closed / 3 not cancelled
        Assert.Equal(2.0 / 3, k.InGridResolutionRate);    // i1, i3 never left the grid; i2 went to street
        Assert.Equal(2.0 / 3, k.OnTimeClosureRate);       // i2 resolved at 9 h > 8 h
        Assert.Equal(1.0, k.VerifiedOnTimeRate);          // each closed 10 min after its (last) resolution
        Assert.Equal(1.0 / 3, k.OverdueRate);
        Assert.Equal(1.0 / 3, k.ReworkRate);              // i3 reopened once, of 3 resolved
        Assert.Equal((2 + 20 + 2) / 3.0, k.MeanMinutesToAccept!.Value, 6);    // first acceptance
        Assert.Equal((30 + 540 + 60) / 3.0, k.MeanMinutesToResolve!.Value, 6); // last resolution
        Assert.Equal((5 + 4 + 3) / 3.0, k.MeanSatisfaction);
        Assert.Equal(new Dictionary<string, double> { ["fire"] = 0, ["charger"] = 0, ["camera"] = 1 }, k.FalseAlarmRateByKind);
    }

    [Fact]
    public async Task Grid_and_street_kpis_cover_their_own_incidents()
    {
        await WriteHistoryAsync();
        var from = ManualClock.DefaultStart;
        var g2 = await Store.GetKpisAsync(Scope.Grid("g2"), from, from + TimeSpan.FromDays(1));
        Assert.Equal((2, 1, 1), (g2.Total, g2.Closed, g2.Cancelled));
        Assert.Equal((1.0, 1.0, 1.0, 3.0), (g2.InGridResolutionRate!.Value, g2.ReworkRate!.Value, g2.OnTimeClosureRate!.Value, g2.MeanSatisfaction!.Value));
        var street = await Store.GetKpisAsync(Scope.Street("st1"), from, from + TimeSpan.FromDays(1));
        Assert.Equal((5, 1, 3), (street.Total, street.Open, street.Closed));
        Assert.Equal(2.0 / 4, street.OverdueRate);      // i2 late, i5 unresolved past 2 h
        Assert.Equal(0.75, street.ClosureRate);
        var before = await Store.GetKpisAsync(Scope.All, from - TimeSpan.FromDays(1), from);
        Assert.Equal(0, before.Total);
        Assert.Null(before.ClosureRate);
    }

    [Fact]
    public async Task The_breakdown_lists_every_place_in_scope_with_its_own_kpis()
    {
        await WriteHistoryAsync();
        var from = ManualClock.DefaultStart;
        var grids = await Store.GetKpisByAsync(Scope.Community("c1"), ScopeLevel.Grid, from, from + TimeSpan.FromDays(1));
        Assert.Equal(["grid:g1", "grid:g2", "grid:g3"], grids.Select(k => k.Scope.ToString()));
        Assert.Equal([2, 2, 0], grids.Select(k => k.Total));
        Assert.Equal(0.5, grids[0].InGridResolutionRate); // g1: i1 in the grid, i2 escalated to street
        var communities = await Store.GetKpisByAsync(Scope.All, ScopeLevel.Community, from, from + TimeSpan.FromDays(1));
        Assert.Equal([4, 1, 0], communities.Select(k => k.Total));
        Assert.Empty(await Store.GetKpisByAsync(Worker(1).Scope, ScopeLevel.Community, from, from + TimeSpan.FromDays(1)));
        Assert.Single(await Store.GetKpisByAsync(Worker(1).Scope, ScopeLevel.Grid, from, from + TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task Verification_on_time_counts_closures_within_the_limit_from_the_last_resolution()
    {
        // Three P1 smoke alarms (verify within 4 h): closed after 1 h, after 5 h, and reworked then closed 3 h after the
        // second resolution (5 h after the first).
        var ids = new List<long>();
        foreach (var device in new[] { "fire-g1-b1-1", "fire-g1-b2-1", "fire-g1-b3-1" })
            ids.Add((await DriveToAsync((await RaiseAsync(device)).Incident.Id, IncidentState.Resolved)).Id);
        Clock.Advance(TimeSpan.FromHours(1));
        await Store.TransitionAsync(ids[0], IncidentAction.Close, CommunityStaff(1));
        await Store.TransitionAsync(ids[2], IncidentAction.Reopen, CommunityStaff(1), "仍有烟味 still smells of smoke");
        await Store.TransitionAsync(ids[2], IncidentAction.Dispatch, CommunityStaff(1), "返工");
        var worker = Person((await GetAsync(ids[2])).AssigneeId!);
        foreach (var a in new[] { IncidentAction.Accept, IncidentAction.Arrive, IncidentAction.Resolve })
            await Store.TransitionAsync(ids[2], a, worker);
        Clock.Advance(TimeSpan.FromHours(3));
        await Store.TransitionAsync(ids[2], IncidentAction.Close, CommunityStaff(1));
        Clock.Advance(TimeSpan.FromHours(1));
        await Store.TransitionAsync(ids[1], IncidentAction.Close, CommunityStaff(1)); // escalated for it first
        var k = await Store.GetKpisAsync(Scope.All, ManualClock.DefaultStart, ManualClock.DefaultStart + TimeSpan.FromDays(1));
        Assert.Equal(2.0 / 3, k.VerifiedOnTimeRate);
        Assert.Equal((IncidentLevel.Community, 1), ((await GetAsync(ids[1])).Level, (await GetAsync(ids[1])).EscalationCount));
    }

    [Fact]
    public async Task A_late_accept_escalates_even_when_no_timer_pass_ran_in_between()
    {
        var i = (await RaiseAsync("fire-g1-b1-1")).Incident;
        Clock.Advance(TimeSpan.FromMinutes(7));
        var accepted = await Store.TransitionAsync(i.Id, IncidentAction.Accept, Person(i.AssigneeId!));
        Assert.Equal((IncidentLevel.Community, IncidentState.Accepted), (accepted.Incident.Level, accepted.Incident.State));
        Assert.Equal(["created", "dispatched", "escalated", "accepted"], (await Store.GetHistoryAsync(i.Id, Scope.All))!.Select(h => h.Change));
        Assert.Equal(0, await Store.ProcessDueTimersAsync());
    }
}

public sealed class SqliteKpiTests() : KpiTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresKpiTests(PostgresFixture postgres) : KpiTests(new PostgresProvider(postgres));
