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
        Assert.Contains(await Store.ListPeopleAsync(), p => p.Username == "lixin");
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
}

public sealed class SqlitePeopleTests() : PeopleTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresPeopleTests(PostgresFixture postgres) : PeopleTests(new PostgresProvider(postgres));
