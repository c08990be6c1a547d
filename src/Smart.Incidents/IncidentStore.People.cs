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

    /// <summary>Everyone, by login name.</summary>
    public async Task<IReadOnlyList<Person>> ListPeopleAsync(CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await connection.QueryAsync<PersonRow>("SELECT * FROM people ORDER BY username").ConfigureAwait(false)).Select(r => r.AsPerson()).ToList();
    }

    /// <summary>True when at least one administrator can sign in.</summary>
    public async Task<bool> AnyAdminCanSignInAsync(CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE role = @role AND password_hash IS NOT NULL",
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
        (string Table, string Noun)? scope = person.Role switch
        {
            Role.GridWorker => ("grids", "grid"),
            Role.CommunityStaff => ("communities", "community"),
            Role.StreetStaff => ("streets", "street"),
            _ => null,
        };
        if (scope is null && person.ScopeId is not null)
            throw new IncidentException(IncidentError.Invalid, $"A {RoleNames.Name(person.Role)} covers the whole city: leave scopeId empty.");
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        if (scope is { } place && (person.ScopeId is null ||
            await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {place.Table} WHERE id = @id", new { id = person.ScopeId }).ConfigureAwait(false) == 0))
            throw new IncidentException(IncidentError.Invalid, $"A {RoleNames.Name(person.Role)} needs the id of an existing {place.Noun} as scopeId.");
        var inserted = await connection.ExecuteAsync("""
            INSERT INTO people (id, name, role, scope_id, username, password_hash) VALUES (@Id, @Name, @role, @ScopeId, @Username, @passwordHash)
            ON CONFLICT DO NOTHING
            """, new { person.Id, person.Name, role = RoleNames.Name(person.Role), person.ScopeId, person.Username, passwordHash }).ConfigureAwait(false);
        return inserted == 1 ? person : throw new IncidentException(IncidentError.Invalid, $"id '{person.Id}' or username '{person.Username}' is already taken.");
    }

    /// <summary>Replaces a person's password hash; false when the login name is unknown.</summary>
    public async Task<bool> SetPasswordHashAsync(string username, string passwordHash, CancellationToken ct = default)
    {
        using var gate = await _dialect.EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await _dialect.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteAsync("UPDATE people SET password_hash = @passwordHash WHERE username = @username",
            new { username, passwordHash }).ConfigureAwait(false) == 1;
    }
}
