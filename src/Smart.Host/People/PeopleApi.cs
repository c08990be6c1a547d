using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.People;

/// <summary>
/// <c>/api/people</c>: administrators add, edit, deactivate and reactivate people (operators, grid workers, community and
/// street staff, administrators) and set passwords; everyone but grid workers lists the people within their scope;
/// anyone changes their own password with the current one.
/// </summary>
public static partial class PeopleApi
{
    public sealed record PersonDto(string Id, string Username, string Name, string Role, string? ScopeId, bool Active, string? Phone);
    public sealed record NewPersonRequest(string? Id, string? Username, string? Name, string? Role, string? ScopeId, string? Password, string? Phone = null);
    public sealed record PasswordRequest(string? CurrentPassword, string? NewPassword);

    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/people").RequireAuthorization().WithTags("People");
        api.MapGet("/", ListAsync).WithName("ListPeople");
        api.MapPost("/", AddAsync).WithName("AddPerson").RequireAuthorization(AuthExtensions.AdminPolicy);
        api.MapPut("/{username}/password", SetPasswordAsync).WithName("SetPassword").RequireRateLimiting(AuthExtensions.TokenRateLimit);
        api.MapPut("/{username}", UpdateAsync).WithName("UpdatePerson");
        api.MapDelete("/{username}", DeactivateAsync).WithName("DeactivatePerson");
        api.MapPost("/{username}/reactivate", ReactivateAsync).WithName("ReactivatePerson");
        return app;
    }

    private static PersonDto AsDto(Person p) => new(p.Id, p.Username, p.Name, RoleNames.Name(p.Role), p.ScopeId, p.Active, p.Phone);

    /// <summary>An empty or blank phone field means none.</summary>
    private static string? PhoneOrNull(string? phone) => string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();

    /// <summary>Administrators and operators see everyone; street and community staff the people at or under their street or community.</summary>
    private static async Task<Results<Ok<List<PersonDto>>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (actor.Role == Role.GridWorker)
            return TypedResults.Problem("grid workers cannot list people; ask your community staff / 网格员不能查看人员列表，请联系社区工作人员",
                statusCode: StatusCodes.Status403Forbidden);
        return TypedResults.Ok((await store.ListPeopleAsync(actor.Scope, ct)).Select(AsDto).ToList());
    }

    private static async Task<Results<Created<PersonDto>, ProblemHttpResult>> AddAsync(NewPersonRequest request, IncidentStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Role))
            return IncidentProblems.BadRequest("username, name and role are required / 用户名、姓名和角色必填");
        if (!TryParseRole(request.Role, out var role)) return IncidentProblems.BadRequest(BadRole);
        if (request.Password is not null && PasswordHasher.Weakness(request.Password) is { } weak) return IncidentProblems.BadRequest(weak);
        var person = new Person(request.Id ?? $"p-{request.Username}", request.Name.Trim(), role, string.IsNullOrWhiteSpace(request.ScopeId) ? null : request.ScopeId, request.Username,
            Phone: PhoneOrNull(request.Phone));
        try
        {
            await store.AddPersonAsync(person, request.Password is null ? null : PasswordHasher.Hash(request.Password), ct);
        }
        catch (IncidentException e) { return IncidentProblems.BadRequest(e.Message); }
        return TypedResults.Created($"/api/people/{person.Username}", AsDto(person));
    }

    private const string BadRole = "role must be operator, grid_worker, community_staff, street_staff or admin / 角色无效，应为 operator、grid_worker、community_staff、street_staff 或 admin";

    private static bool TryParseRole(string name, out Role role)
    {
        try { role = RoleNames.Parse(name); return true; }
        catch (FormatException) { role = default; return false; }
    }

    /// <summary>An administrator sets anyone's password; anyone else only their own, with the current one.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> SetPasswordAsync(string username, PasswordRequest request, ClaimsPrincipal user,
        IncidentStore store, IPeopleDirectory people, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (PasswordHasher.Weakness(request.NewPassword) is { } weak) return IncidentProblems.BadRequest(weak);
        var login = await store.FindLoginAsync(username, ct);
        if (actor.Role != Role.Admin)
        {
            // Not an admin: it must be your own login, proven with your current password (a stolen token alone is not enough).
            if (login is null || login.Person.Id != actor.Id) return IncidentProblems.NotFound($"Person {username}");
            if (request.CurrentPassword is null || await people.AuthenticateAsync(username, request.CurrentPassword, ct) is null)
                return TypedResults.Problem("current password is wrong / 当前密码错误", statusCode: StatusCodes.Status403Forbidden);
        }
        if (login is null) return IncidentProblems.NotFound($"Person {username}");
        await store.SetPasswordHashAsync(username, PasswordHasher.Hash(request.NewPassword!), ct);
        return TypedResults.NoContent();
    }
}
