using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Host.Incidents;
using Smart.Incidents;

namespace Smart.Host.Kpis;

/// <summary><c>GET /api/kpis</c>: grid-governance KPIs for a grid, community, street or everything, over a time range.</summary>
public static class KpisApi
{
    public sealed record KpisDto(string Scope, DateTimeOffset From, DateTimeOffset To, int Total, int Open, int Closed, int Cancelled,
        double? ClosureRate, double? InGridResolutionRate, double? OnTimeClosureRate, double? VerifiedOnTimeRate, double? OverdueRate, double? ReworkRate,
        double? MeanMinutesToAccept, double? MeanMinutesToResolve, double? MeanSatisfaction, IReadOnlyDictionary<string, double> FalseAlarmRateByKind);

    public static KpisDto AsDto(this IncidentKpis k) => new(k.Scope.ToString(), k.From, k.To, k.Total, k.Open, k.Closed, k.Cancelled,
        k.ClosureRate, k.InGridResolutionRate, k.OnTimeClosureRate, k.VerifiedOnTimeRate, k.OverdueRate, k.ReworkRate,
        k.MeanMinutesToAccept, k.MeanMinutesToResolve, k.MeanSatisfaction, k.FalseAlarmRateByKind);

    public static IEndpointRouteBuilder MapKpisApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/kpis", GetAsync).RequireAuthorization().WithTags("KPIs").WithName("GetKpis");
        app.MapGet("/api/kpis/breakdown", BreakdownAsync).RequireAuthorization().WithTags("KPIs").WithName("GetKpisBreakdown");
        return app;
    }

    /// <summary>
    /// <c>grid</c>, <c>community</c> or <c>street</c> (at most one; none: the caller's own scope); <c>from</c>/<c>to</c>
    /// over incident creation time (default: the last 30 days). A place outside the caller's scope is 404.
    /// </summary>
    private static async Task<Results<Ok<KpisDto>, ProblemHttpResult>> GetAsync(ClaimsPrincipal user, IncidentStore store, TimeProvider clock,
        string? grid, string? community, string? street, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        var named = new[] { (grid, ScopeLevel.Grid), (community, ScopeLevel.Community), (street, ScopeLevel.Street) }.Where(s => s.Item1 is not null).ToList();
        if (named.Count > 1) return IncidentProblems.BadRequest("Give at most one of grid, community, street.");
        var target = named.Count == 0 ? actor.Scope : new Scope(named[0].Item2, named[0].Item1);
        if (named.Count == 1 && !await store.IsWithinAsync(actor.Scope, target, ct)) return IncidentProblems.NotFound($"{target}");
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        if (start >= end) return IncidentProblems.BadRequest("'from' must be before 'to' / 起始时间须早于结束时间");
        return TypedResults.Ok((await store.GetKpisAsync(target, start, end, ct)).AsDto());
    }

    /// <summary><c>by=grid|community</c>: one KPI row per place inside the caller's scope (default by grid, last 30 days).</summary>
    private static async Task<Results<Ok<IReadOnlyList<KpisDto>>, ProblemHttpResult>> BreakdownAsync(ClaimsPrincipal user, IncidentStore store, TimeProvider clock,
        string? by, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        var level = by switch { null or "grid" => ScopeLevel.Grid, "community" => ScopeLevel.Community, _ => (ScopeLevel?)null };
        if (level is null) return IncidentProblems.BadRequest("by must be grid or community.");
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        if (start >= end) return IncidentProblems.BadRequest("'from' must be before 'to' / 起始时间须早于结束时间");
        var rows = await store.GetKpisByAsync(actor.Scope, level.Value, start, end, ct);
        return TypedResults.Ok<IReadOnlyList<KpisDto>>(rows.Select(k => k.AsDto()).ToList());
    }
}
