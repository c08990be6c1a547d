using Dapper;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Incidents.Data;

namespace Smart.Incidents;

/// <summary>A person's sign-in record: who they are and their password hash (null = cannot sign in yet).</summary>
public sealed record PersonLogin(Person Person, string? PasswordHash);

public sealed partial class IncidentStore
{
    /// <summary>The sign-in record for a login name, or null.</summary>
    public async Task<PersonLogin?> FindLoginAsync(string username, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<PersonRow>("SELECT * FROM people WHERE username = @username", new { username }).ConfigureAwait(false);
        return row is null ? null : new PersonLogin(row.AsPerson(), row.password_hash);
    }

    /// <summary>
    /// The people whose scope is at or under <paramref name="scope"/> (all: everyone; a street: its street staff, the
    /// community staff of its communities and the grid workers of its grids; …), deactivated ones included, by login name.
    /// </summary>
    public async Task<IReadOnlyList<Person>> ListPeopleAsync(Scope scope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var (streets, communities, grids) = scope.Level switch
        {
            ScopeLevel.All => ("1 = 1", "1 = 1", "1 = 1"),
            ScopeLevel.Street => ("p.scope_id = @scopeId", "c.street_id = @scopeId", "c.street_id = @scopeId"),
            ScopeLevel.Community => ("1 = 0", "c.id = @scopeId", "g.community_id = @scopeId"),
            _ => ("1 = 0", "1 = 0", "g.id = @scopeId"),
        };
        var where = scope.Level == ScopeLevel.All ? "1 = 1" : $"""
            (p.role = 'street_staff' AND {streets})
            OR (p.role = 'community_staff' AND p.scope_id IN (SELECT c.id FROM communities c WHERE {communities}))
            OR (p.role = 'grid_worker' AND p.scope_id IN (SELECT g.id FROM grids g JOIN communities c ON c.id = g.community_id WHERE {grids}))
            """;
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await connection.QueryAsync<PersonRow>($"SELECT p.* FROM people p WHERE {where} ORDER BY p.username", new { scopeId = scope.Id }).ConfigureAwait(false))
            .Select(r => r.AsPerson()).ToList();
    }

    /// <summary>The person with this id, or null.</summary>
    public async Task<Person?> FindPersonAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await connection.QuerySingleOrDefaultAsync<PersonRow>("SELECT * FROM people WHERE id = @id", new { id }).ConfigureAwait(false))?.AsPerson();
    }

    /// <summary>True when at least one active administrator can sign in.</summary>
    public async Task<bool> AnyAdminCanSignInAsync(CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE role = @role AND password_hash IS NOT NULL AND deactivated_at IS NULL",
            new { role = RoleNames.Name(Role.Admin) }).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Adds a person. Throws <see cref="IncidentException"/> (Invalid) for a bad login name, a taken id or login name, or a
    /// scope that does not fit the role (a grid for grid workers, a community for community staff, a street for street
    /// staff, none for operators and administrators).
    /// </summary>
    public async Task<Person> AddPersonAsync(Person person, string? passwordHash, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (!DeviceTopic.IsValidDeviceId(person.Username) || !DeviceTopic.IsValidDeviceId(person.Id))
            throw new IncidentException(IncidentError.Invalid, "id and username must match [A-Za-z0-9_-]{1,64}.");
        if (string.IsNullOrWhiteSpace(person.Name)) throw new IncidentException(IncidentError.Invalid, "name is required.");
        ThrowIfScopeNeedlessFor(person.Role, person.ScopeId);
        ThrowIfBadPhone(person.Phone);
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        await ThrowIfScopeMissingAsync(connection, person.Role, person.ScopeId).ConfigureAwait(false);
        var inserted = await connection.ExecuteAsync("""
            INSERT INTO people (id, name, role, scope_id, username, password_hash, phone) VALUES (@Id, @Name, @role, @ScopeId, @Username, @passwordHash, @Phone)
            ON CONFLICT DO NOTHING
            """, new { person.Id, person.Name, role = RoleNames.Name(person.Role), person.ScopeId, person.Username, passwordHash, person.Phone }).ConfigureAwait(false);
        if (inserted != 1) throw new IncidentException(IncidentError.Invalid, $"id '{person.Id}' or username '{person.Username}' is already taken.");
        await _dialect.NotifyPersonChangedAsync(connection, null, person.Id).ConfigureAwait(false);
        return RaisePersonChanged(person);
    }

    /// <summary>Replaces a person's password hash; false when the login name is unknown.</summary>
    public async Task<bool> SetPasswordHashAsync(string username, string passwordHash, CancellationToken ct = default)
    {
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteAsync("UPDATE people SET password_hash = @passwordHash WHERE username = @username",
            new { username, passwordHash }).ConfigureAwait(false) == 1;
    }

    private static (string Table, string Noun)? ScopeTable(Role role) => role switch
    {
        Role.GridWorker => ("grids", "grid"),
        Role.CommunityStaff => ("communities", "community"),
        Role.StreetStaff => ("streets", "street"),
        _ => null,
    };

    /// <summary>A phone number as people write it: digits, an optional leading +, spaces and dashes (e.g. 138 0013 8000, +86-21-5555-0101).</summary>
    private static void ThrowIfBadPhone(string? phone)
    {
        if (phone is not null && !System.Text.RegularExpressions.Regex.IsMatch(phone, @"^\+?[0-9][0-9 \-]{4,23}[0-9]$"))
            throw new IncidentException(IncidentError.Invalid, $"'{phone}' is not a phone number: use digits, an optional leading +, spaces or dashes (6–25 characters). / 电话号码格式不正确。");
    }

    private static void ThrowIfScopeNeedlessFor(Role role, string? scopeId)
    {
        if (ScopeTable(role) is null && scopeId is not null)
            throw new IncidentException(IncidentError.Invalid, $"A {RoleNames.Name(role)} covers the whole city: leave scopeId empty.");
    }

    /// <summary>Grid workers need an existing grid, community staff a community, street staff a street.</summary>
    private static async Task ThrowIfScopeMissingAsync(System.Data.Common.DbConnection connection, Role role, string? scopeId)
    {
        if (ScopeTable(role) is { } place && (scopeId is null ||
            await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {place.Table} WHERE id = @id", new { id = scopeId }).ConfigureAwait(false) == 0))
            throw new IncidentException(IncidentError.Invalid, $"A {RoleNames.Name(role)} needs the id of an existing {place.Noun} as scopeId.");
    }
}
