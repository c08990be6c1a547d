using Smart.Core;
using Smart.Core.Incidents;
using Smart.Testing;

namespace Smart.Incidents.Tests;

public abstract class PeopleTests(IStoreProvider provider) : StoreTestBase(provider)
{
    [Fact]
    public async Task A_person_added_with_a_hash_can_be_found_by_login_and_the_hash_replaced()
    {
        var added = await Store.AddPersonAsync(new Person("p-new", "网格员 李新", Role.GridWorker, "g4", "lixin"), "hash-1");
        var login = await Store.FindLoginAsync("lixin");
        Assert.Equal(added, login?.Person);
        Assert.Equal("hash-1", login?.PasswordHash);
        Assert.True(await Store.SetPasswordHashAsync("lixin", "hash-2"));
        Assert.Equal("hash-2", (await Store.FindLoginAsync("lixin"))?.PasswordHash);
        Assert.False(await Store.SetPasswordHashAsync("nobody", "hash-3"));
        Assert.Null(await Store.FindLoginAsync("nobody"));
        Assert.Contains(await Store.ListPeopleAsync(Scope.All), p => p.Username == "lixin");
    }

    [Fact]
    public async Task The_demo_people_have_no_stored_password_so_no_admin_can_sign_in_until_one_is_set()
    {
        Assert.Null((await Store.FindLoginAsync("admin"))?.PasswordHash);
        Assert.False(await Store.AnyAdminCanSignInAsync());
        await Store.SetPasswordHashAsync("admin", "h");
        Assert.True(await Store.AnyAdminCanSignInAsync());
    }

    [Theory]
    [InlineData(Role.GridWorker, null, "existing grid")]        // a grid worker needs a grid
    [InlineData(Role.GridWorker, "c1", "existing grid")]        // … a grid, not a community
    [InlineData(Role.CommunityStaff, "g1", "existing community")]
    [InlineData(Role.StreetStaff, "nope", "existing street")]
    [InlineData(Role.Operator, "g1", "whole city")]             // operators cover the city
    public async Task A_scope_that_does_not_fit_the_role_is_refused(Role role, string? scopeId, string reason)
    {
        var e = await Assert.ThrowsAsync<IncidentException>(() => Store.AddPersonAsync(new Person("p-x", "X", role, scopeId, "userx"), null));
        Assert.Equal(IncidentError.Invalid, e.Error);
        Assert.Contains(reason, e.Message);
        Assert.Null(await Store.FindLoginAsync("userx"));
    }

    [Fact]
    public async Task Taken_ids_and_login_names_and_bad_names_are_refused()
    {
        await Assert.ThrowsAsync<IncidentException>(() => Store.AddPersonAsync(new Person("p-x", "X", Role.Operator, null, "worker1a"), null));
        await Assert.ThrowsAsync<IncidentException>(() => Store.AddPersonAsync(new Person("p-op1", "X", Role.Operator, null, "fresh"), null));
        await Assert.ThrowsAsync<IncidentException>(() => Store.AddPersonAsync(new Person("p-y", "X", Role.Operator, null, "bad name'; --"), null));
        Assert.Null(await Store.FindLoginAsync("fresh"));
    }

    [Fact]
    public async Task Each_scope_lists_the_people_at_or_under_it()
    {
        async Task<List<string>> Usernames(Scope scope) => (await Store.ListPeopleAsync(scope)).Select(p => p.Username).ToList();
        Assert.Equal(District.Demo.People.Count, (await Usernames(Scope.All)).Count);
        var street = await Usernames(Scope.Street("st1"));
        Assert.Equal(District.Demo.People.Count - 2, street.Count); // everyone but the operator and the administrator
        Assert.DoesNotContain("admin", street);
        Assert.Equal(["community2", "worker4a", "worker4b", "worker5a", "worker5b", "worker6a", "worker6b"], await Usernames(Scope.Community("c2")));
        Assert.Equal(["worker5a", "worker5b"], await Usernames(Scope.Grid("g5")));
        Assert.Empty(await Usernames(Scope.Community("no-such")));
    }

    [Fact]
    public async Task A_person_is_edited_and_a_grid_worker_moved_to_another_grid_leaves_the_old_grid_s_roster()
    {
        var moved = await Store.UpdatePersonAsync("worker1a", " 网格员 李明 ", Role.GridWorker, "g2");
        Assert.Equal(new Person("p-g1-w1", "网格员 李明", Role.GridWorker, "g2", "worker1a"), moved);
        Assert.DoesNotContain(await Store.GetRosterAsync("g1"), s => s.PersonId == "p-g1-w1");
        Assert.Contains(await Store.GetRosterAsync("g1"), s => s.PersonId == "p-g1-w2");
        Assert.Null(await Store.UpdatePersonAsync("nobody", "X", Role.Operator, null));
        var e = await Assert.ThrowsAsync<IncidentException>(() => Store.UpdatePersonAsync("worker1b", "X", Role.CommunityStaff, "g1"));
        Assert.Equal(IncidentError.Invalid, e.Error);
        Assert.Equal(Role.GridWorker, (await Store.FindPersonAsync("p-g1-w2"))?.Role);
    }

    [Fact]
    public async Task A_phone_number_is_kept_replaced_and_removed_and_anything_else_is_refused()
    {
        var added = await Store.AddPersonAsync(new Person("p-tel", "网格员 电话", Role.GridWorker, "g4", "tel", Phone: "138 0013 8000"), null);
        Assert.Equal("138 0013 8000", (await Store.FindPersonAsync(added.Id))?.Phone);
        Assert.Equal("+86-21-5555-0101", (await Store.UpdatePersonAsync("tel", "网格员 电话", Role.GridWorker, "g4", "+86-21-5555-0101"))?.Phone);
        Assert.Null((await Store.UpdatePersonAsync("tel", "网格员 电话", Role.GridWorker, "g4"))?.Phone);
        foreach (var bad in new[] { "call me", "12", "138 0013 8000 ext. 5", "+", "-13800138000", "138001380001380013800138000" })
        {
            var e = await Assert.ThrowsAsync<IncidentException>(() => Store.UpdatePersonAsync("tel", "网格员 电话", Role.GridWorker, "g4", bad));
            Assert.Equal(IncidentError.Invalid, e.Error);
            Assert.Contains("not a phone number", e.Message);
        }
        await Assert.ThrowsAsync<IncidentException>(() => Store.AddPersonAsync(new Person("p-tel2", "X", Role.Operator, null, "tel2", Phone: "abc"), null));
        Assert.Null(await Store.FindPersonAsync("p-tel2"));
    }

    [Fact]
    public async Task A_deactivated_worker_leaves_the_rosters_gets_no_incidents_and_can_be_reactivated()
    {
        Assert.Equal(false, (await Store.DeactivatePersonAsync("worker3a"))?.Active);
        Assert.False((await Store.FindLoginAsync("worker3a"))!.Person.Active);
        Assert.Equal(["p-g3-w2"], (await Store.GetRosterAsync("g3")).Select(s => s.PersonId));
        Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(() =>
            Store.SetRosterAsync("g3", [new DutyShift("g3", "p-g3-w1", new TimeOnly(0, 0), new TimeOnly(0, 0))]))).Error);
        await Store.DeactivatePersonAsync("worker3b");
        var raised = await RaiseAsync("fire-g3-b1-1");
        Assert.Null(raised.Incident.AssigneeId); // nobody active on duty in g3
        Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(() =>
            Store.TransitionAsync(raised.Incident.Id, IncidentAction.Dispatch, Operator, null, "p-g3-w1"))).Error);
        Assert.Equal(false, (await Store.DeactivatePersonAsync("worker3a"))?.Active); // twice changes nothing
        Assert.Equal(true, (await Store.ReactivatePersonAsync("worker3a"))?.Active);
        Assert.Empty(await Store.GetRosterAsync("g3")); // rosters are not restored
        Assert.Null(await Store.DeactivatePersonAsync("nobody"));
        Assert.Null(await Store.ReactivatePersonAsync("nobody"));
    }

    [Fact]
    public async Task Deactivating_a_worker_redispatches_what_they_have_in_hand_to_whoever_is_on_duty()
    {
        // Both g3 workers are on duty all day; the least loaded gets each new incident (ties by id).
        var first = (await RaiseAsync("fire-g3-b1-1")).Incident;
        var second = (await RaiseAsync("fire-g3-b1-2")).Incident;
        var third = (await RaiseAsync("fire-g3-b1-3")).Incident;
        Assert.Equal(["p-g3-w1", "p-g3-w2", "p-g3-w1"], new[] { first, second, third }.Select(i => i.AssigneeId));
        await Store.TransitionAsync(third.Id, IncidentAction.Accept, Worker(3, 1));
        await Store.TransitionAsync(third.Id, IncidentAction.Arrive, Worker(3, 1));
        var resolved = (await RaiseAsync("fire-g3-b1-5")).Incident;
        Assert.Equal("p-g3-w2", resolved.AssigneeId);
        await Store.TransitionAsync(resolved.Id, IncidentAction.Dispatch, Admin, null, "p-g3-w1");
        await DriveToAsync(resolved.Id, IncidentState.Resolved);

        await Store.DeactivatePersonAsync("worker3a");
        var changes = await Store.RedispatchInHandAsync("p-g3-w1", Admin, "assignee deactivated");

        Assert.Equal([first.Id, third.Id], changes.Select(c => c.Incident.Id));
        Assert.Equal((IncidentState.Dispatched, "p-g3-w2"), ((await GetAsync(first.Id)).State, (await GetAsync(first.Id)).AssigneeId));
        Assert.Equal(("p-admin", "→ p-g3-w2: assignee deactivated"), (await Store.GetHistoryAsync(first.Id, Scope.All))!.Select(h => (h.ActorId, h.Note)).Last());
        Assert.Equal((IncidentState.Dispatched, "p-g3-w2"), ((await GetAsync(third.Id)).State, (await GetAsync(third.Id)).AssigneeId)); // on site: goes too
        Assert.Equal((IncidentState.Resolved, "p-g3-w1"), ((await GetAsync(resolved.Id)).State, (await GetAsync(resolved.Id)).AssigneeId)); // done: stays
        Assert.Equal(0, await Store.CountIncidentsInHandAsync("p-g3-w1"));

        // With nobody left on duty the incident stays where it is (its accept limit escalates it).
        var fourth = (await RaiseAsync("fire-g3-b1-4")).Incident;
        Assert.Equal("p-g3-w2", fourth.AssigneeId);
        await Store.DeactivatePersonAsync("worker3b");
        Assert.Empty(await Store.RedispatchInHandAsync("p-g3-w2", Admin, "assignee deactivated"));
        Assert.Equal((IncidentState.Dispatched, "p-g3-w2"), ((await GetAsync(fourth.Id)).State, (await GetAsync(fourth.Id)).AssigneeId));
    }

    [Fact]
    public async Task The_last_active_administrator_can_be_neither_demoted_nor_deactivated()
    {
        var demote = await Assert.ThrowsAsync<IncidentException>(() => Store.UpdatePersonAsync("admin", "管理员", Role.Operator, null));
        Assert.Equal(IncidentError.Conflict, demote.Error);
        Assert.Contains("last active administrator", demote.Message);
        Assert.Equal(IncidentError.Conflict, (await Assert.ThrowsAsync<IncidentException>(() => Store.DeactivatePersonAsync("admin"))).Error);
        Assert.True((await Store.FindPersonAsync("p-admin"))!.Active);
        await Store.UpdatePersonAsync("admin", "总管理员", Role.Admin, null); // a rename keeps the role: allowed

        await Store.AddPersonAsync(new Person("p-admin2", "管理员 二", Role.Admin, null, "admin2"), null);
        Assert.Equal(false, (await Store.DeactivatePersonAsync("admin"))?.Active);
        Assert.Equal(IncidentError.Conflict, (await Assert.ThrowsAsync<IncidentException>(() => Store.UpdatePersonAsync("admin2", "X", Role.Operator, null))).Error);
        await Store.ReactivatePersonAsync("admin");
        Assert.Equal(Role.Operator, (await Store.UpdatePersonAsync("admin2", "X", Role.Operator, null))?.Role);
    }
}

public sealed class SqlitePeopleTests() : PeopleTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresPeopleTests(PostgresFixture postgres) : PeopleTests(new PostgresProvider(postgres));

/// <summary>People and devices changed by one host of several on one PostgreSQL database.</summary>
[Collection("postgres")]
public sealed class PostgresDirectoryAcrossHostsTests(PostgresFixture postgres) : StoreTestBase(new PostgresProvider(postgres))
{
    [Fact]
    public async Task Another_host_reads_afresh_when_it_starts_listening_and_hears_of_registered_and_retired_devices()
    {
        await using var other = await ListeningSiblingAsync();
        await Store.RegisterDeviceAsync("chg-b-1", DeviceKind.Charger, "g4-b2");
        var registered = await other.Devices.Reader.ReadAsync(other.Timeout.Token);
        Assert.Equal(("chg-b-1", "g4", false), (registered.Id, registered.GridId, registered.Retired));
        await Store.RetireDeviceAsync("chg-b-1", Scope.All);
        Assert.Equal(("chg-b-1", true), await other.Devices.Reader.ReadAsync(other.Timeout.Token) is var retired ? (retired.Id, retired.Retired) : default);
    }

    [Fact]
    public async Task Another_host_hears_of_a_rename_and_a_deactivation_with_the_person_as_committed()
    {
        await using var other = await ListeningSiblingAsync();
        var mine = new List<Person>();
        Store.PersonChanged += mine.Add;
        await Store.UpdatePersonAsync("worker2a", "网格员 改名", Role.GridWorker, "g2");
        var renamed = await other.People.Reader.ReadAsync(other.Timeout.Token);
        Assert.Equal(("p-g2-w1", "网格员 改名", true), (renamed.Id, renamed.Name, renamed.Active));
        Assert.Equal([("p-g2-w1", "网格员 改名")], mine.Select(p => (p.Id, p.Name))); // this host raised it too

        await Store.DeactivatePersonAsync("worker2a");
        var deactivated = await other.People.Reader.ReadAsync(other.Timeout.Token);
        Assert.Equal(("p-g2-w1", false), (deactivated.Id, deactivated.Active));
        Assert.Equal(("p-g2-w1", false), (mine[^1].Id, mine[^1].Active));
    }

    [Fact]
    public async Task Deactivating_an_admin_while_another_host_deactivates_the_other_one_leaves_one_active()
    {
        await Store.AddPersonAsync(new Person("p-admin2", "管理员 二", Role.Admin, null, "admin2"), null);
        // "Another host" is half-way through deactivating admin2: its transaction holds the writers' lock, uncommitted.
        await using var other = new Npgsql.NpgsqlConnection(Store.Options.ConnectionString);
        await other.OpenAsync();
        await using var tx = await other.BeginTransactionAsync();
        await using (var lockCounter = new Npgsql.NpgsqlCommand("SELECT seq FROM outbox_counter WHERE id = 1 FOR UPDATE", other, tx))
            await lockCounter.ExecuteScalarAsync();
        await using (var deactivate = new Npgsql.NpgsqlCommand("UPDATE people SET deactivated_at = 1 WHERE id = 'p-admin2'", other, tx))
            Assert.Equal(1, await deactivate.ExecuteNonQueryAsync());

        var mine = Store.DeactivatePersonAsync("admin");
        // Wait until this host's deactivation either finished (the race lost) or waits for the other's lock.
        await using var probe = new Npgsql.NpgsqlConnection(Store.Options.ConnectionString);
        await probe.OpenAsync();
        await Eventually.UntilAsync(async () => mine.IsCompleted || await WaitersAsync(probe) > 0, TimeSpan.FromSeconds(20), "this host's deactivation finished or waits for the lock");
        await tx.CommitAsync();

        var e = await Assert.ThrowsAsync<IncidentException>(() => mine);
        Assert.Equal(IncidentError.Conflict, e.Error);
        Assert.True((await Store.FindPersonAsync("p-admin"))!.Active);
    }

    private static async Task<long> WaitersAsync(Npgsql.NpgsqlConnection probe)
    {
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", probe);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
