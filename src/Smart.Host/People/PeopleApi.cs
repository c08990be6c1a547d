using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.People;

/// <summary>
/// <c>/api/people</c>: administrators list and add people (operators, grid workers, community and street staff) and set
/// passwords; anyone changes their own password with the current one.
/// </summary>
public static class PeopleApi
{
    public sealed record PersonDto(string Id, string Username, string Name, string Role, string? ScopeId);
    public sealed record NewPersonRequest(string? Id, string? Username, string? Name, string? Role, string? ScopeId, string? Password);
    public sealed record PasswordRequest(string? CurrentPassword, string? NewPassword);

    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/people").RequireAuthorization().WithTags("People");
        api.MapGet("/", ListAsync).WithName("ListPeople").RequireAuthorization(AuthExtensions.AdminPolicy);
        api.MapPost("/", AddAsync).WithName("AddPerson").RequireAuthorization(AuthExtensions.AdminPolicy);
        api.MapPut("/{username}/password", SetPasswordAsync).WithName("SetPassword").RequireRateLimiting(AuthExtensions.TokenRateLimit);
        return app;
    }

    private static PersonDto AsDto(Person p) => new(p.Id, p.Username, p.Name, RoleNames.Name(p.Role), p.ScopeId);

    private static async Task<Ok<List<PersonDto>>> ListAsync(IncidentStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListPeopleAsync(ct)).Select(AsDto).ToList());

    private static async Task<Results<Created<PersonDto>, ProblemHttpResult>> AddAsync(NewPersonRequest request, IncidentStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Role))
            return IncidentProblems.BadRequest("username, name and role are required / 用户名、姓名和角色必填");
        Role role;
        try { role = RoleNames.Parse(request.Role); }
        catch (FormatException) { return IncidentProblems.BadRequest("role must be operator, grid_worker, community_staff, street_staff or admin / 角色无效"); }
        if (request.Password is not null && PasswordHasher.Weakness(request.Password) is { } weak) return IncidentProblems.BadRequest(weak);
        var person = new Person(request.Id ?? $"p-{request.Username}", request.Name.Trim(), role, string.IsNullOrWhiteSpace(request.ScopeId) ? null : request.ScopeId, request.Username);
        try
        {
            await store.AddPersonAsync(person, request.Password is null ? null : PasswordHasher.Hash(request.Password), ct);
        }
        catch (IncidentException e) { return IncidentProblems.BadRequest(e.Message); }
        return TypedResults.Created($"/api/people/{person.Username}", AsDto(person));
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
