using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.People;

/// <summary>Administrators edit, deactivate (停用) and reactivate people; nobody demotes or deactivates themselves.</summary>
public static partial class PeopleApi
{
    public sealed record PersonChangeRequest(string? Name, string? Role, string? ScopeId, string? Phone = null);
    /// <summary>The deactivated person, how many of the incidents in their hand went to whoever is on duty, and how many
    /// they still have (nobody else on duty in the grid: to dispatch by hand).</summary>
    public sealed record DeactivationDto(PersonDto Person, int Redispatched, long IncidentsInHand);

    private const string OnlyAdminsEdit = "only administrators edit people / 仅管理员可编辑人员";
    private const string OnlyAdminsDeactivate = "only administrators deactivate or reactivate people / 仅管理员可停用或恢复人员";

    private static ProblemHttpResult? RefuseUnlessAdmin(Actor actor, string message) =>
        actor.Role == Role.Admin ? null : TypedResults.Problem(message, statusCode: StatusCodes.Status403Forbidden, title: "无权操作 Forbidden");

    private static ProblemHttpResult PersonNotFound(string username) =>
        TypedResults.Problem($"No person with login name '{username}'. / 没有登录名为 {username} 的人员。", statusCode: StatusCodes.Status404NotFound, title: "未找到 Not found");

    private static ProblemHttpResult NotYourself(string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status403Forbidden, title: "无权操作 Forbidden");

    /// <summary>PUT /api/people/{username} {name, role, scopeId, phone}: replaces them (a phone left out is removed).</summary>
    private static async Task<Results<Ok<PersonDto>, ProblemHttpResult>> UpdateAsync(string username, PersonChangeRequest request, ClaimsPrincipal user, IncidentStore store,
        CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (RefuseUnlessAdmin(actor, OnlyAdminsEdit) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Role))
            return IncidentProblems.BadRequest("name and role are required / 姓名和角色必填");
        if (!TryParseRole(request.Role, out var role)) return IncidentProblems.BadRequest(BadRole);
        if (await store.FindLoginAsync(username, ct) is not { } login) return PersonNotFound(username);
        if (login.Person.Id == actor.Id && role != Role.Admin) return NotYourself("You cannot change your own role; ask another administrator. / 不能更改自己的角色，请联系其他管理员。");
        try
        {
            var scopeId = string.IsNullOrWhiteSpace(request.ScopeId) ? null : request.ScopeId;
            // Names on the incident views and open live connections follow through IncidentStore.PersonChanged.
            if (await store.UpdatePersonAsync(username, request.Name, role, scopeId, PhoneOrNull(request.Phone), ct) is not { } person) return PersonNotFound(username);
            return TypedResults.Ok(AsDto(person));
        }
        catch (IncidentException e) { return IncidentProblems.From(e); }
    }

    /// <summary>DELETE /api/people/{username}: deactivates (the person stays in incidents and history).</summary>
    private static async Task<Results<Ok<DeactivationDto>, ProblemHttpResult>> DeactivateAsync(string username, ClaimsPrincipal user, IncidentStore store,
        CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (RefuseUnlessAdmin(actor, OnlyAdminsDeactivate) is { } refused) return refused;
        if (await store.FindLoginAsync(username, ct) is not { } login) return PersonNotFound(username);
        if (login.Person.Id == actor.Id) return NotYourself("You cannot deactivate yourself; ask another administrator. / 不能停用自己，请联系其他管理员。");
        try
        {
            if (await store.DeactivatePersonAsync(username, ct) is not { } person) return PersonNotFound(username);
            var redispatched = await store.RedispatchInHandAsync(person.Id, actor, "原处理人已停用，改派 / the assignee was deactivated", ct);
            return TypedResults.Ok(new DeactivationDto(AsDto(person), redispatched.Count, await store.CountIncidentsInHandAsync(person.Id, ct)));
        }
        catch (IncidentException e) { return IncidentProblems.From(e); }
    }

    /// <summary>POST /api/people/{username}/reactivate: may sign in again; rosters are set again by hand.</summary>
    private static async Task<Results<Ok<PersonDto>, ProblemHttpResult>> ReactivateAsync(string username, ClaimsPrincipal user, IncidentStore store, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (RefuseUnlessAdmin(actor, OnlyAdminsDeactivate) is { } refused) return refused;
        return await store.ReactivatePersonAsync(username, ct) is { } person ? TypedResults.Ok(AsDto(person)) : PersonNotFound(username);
    }
}
