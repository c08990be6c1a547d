using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Host.Auth;
using Smart.Incidents;

namespace Smart.Host.Incidents;

/// <summary>
/// <c>/api/incidents</c> (DESIGN §9): list/filter, get, history, manual report (随手拍), transitions, feedback.
/// Every endpoint acts as the caller (role + scope); anything outside the scope is 404.
/// </summary>
public static class IncidentsApi
{
    /// <summary>
    /// One page of incidents. <c>LastSeq</c> is the outbox seq the page is at least as new as (read before the query):
    /// a screen that loads the page calls the hub's <c>Resume(lastSeq)</c> instead of replaying the whole outbox.
    /// </summary>
    public sealed record IncidentPageDto(IReadOnlyList<IncidentDto> Items, long Total, int Offset, int Limit, long LastSeq);
    public sealed record ReportRequest(string? Text, string? GridId, string? BuildingId, double? Lon, double? Lat, string? PhotoRef, string? Severity);
    public sealed record TransitionRequest(string? Action, string? Note, string? AssigneeId);
    public sealed record ActionRequest(string? Note, string? AssigneeId);
    public sealed record FeedbackRequest(int Satisfaction, string? Comment);

    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents").RequireAuthorization().WithTags("Incidents");
        api.MapGet("/", ListAsync).WithName("ListIncidents");
        api.MapGet("/{id:long}", GetAsync).WithName("GetIncident");
        api.MapGet("/{id:long}/history", HistoryAsync).WithName("GetIncidentHistory");
        api.MapPost("/", ReportAsync).WithName("ReportIncident");
        api.MapPost("/{id:long}/transitions", TransitionAsync).WithName("TransitionIncident");
        // The same, one route per action: POST /api/incidents/{id}/accept {"note": "…"} (the dashboards' contract).
        api.MapPost("/{id:long}/{action:regex(^(dispatch|accept|arrive|resolve|close|verify|reopen|cancel)$)}",
            (long id, string action, ActionRequest? request, ClaimsPrincipal user, IncidentStore store, IncidentPresenter presenter, CancellationToken ct) =>
                TransitionAsync(id, new TransitionRequest(action == "verify" ? "close" : action, request?.Note, request?.AssigneeId), user, store, presenter, ct))
            .WithName("TransitionIncidentByAction");
        api.MapPost("/{id:long}/feedback", FeedbackAsync).WithName("IncidentFeedback");
        return app;
    }

    /// <summary>Filters: state (comma-separated, or <c>open</c> = not closed/cancelled), open, severity (P1–P4), type, level, gridId/communityId/streetId, deviceId, assigneeId, from/to (created), offset/limit.</summary>
    private static async Task<Results<Ok<IncidentPageDto>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, IncidentStore store, IncidentPresenter presenter,
        string? state, bool? open, string? severity, string? type, string? level, string? gridId, string? communityId, string? streetId,
        string? deviceId, string? assigneeId, DateTimeOffset? from, DateTimeOffset? to, int? offset, int? limit, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (state == "open") (state, open) = (null, true);
        IncidentQuery query;
        try
        {
            query = new IncidentQuery
            {
                States = state?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(IncidentNames.ParseState).ToList(),
                Open = open, Severity = severity is null ? null : IncidentNames.ParseSeverity(severity), Type = type,
                Level = level is null ? null : IncidentNames.ParseLevel(level), GridId = gridId, CommunityId = communityId, StreetId = streetId,
                DeviceId = deviceId, AssigneeId = assigneeId, From = from, To = to, Offset = offset ?? 0, Limit = limit ?? 50,
            };
        }
        catch (FormatException e) { return IncidentProblems.BadRequest(e.Message); }
        if (query.Limit is < 1 or > 500) return IncidentProblems.BadRequest("limit must be 1–500.");
        var lastSeq = store.LastSeq; // before the query: every event up to it is committed, so the page already shows it
        var page = await store.ListAsync(query, actor.Scope, ct);
        return TypedResults.Ok(new IncidentPageDto(page.Items.Select(presenter.AsDto).ToList(), page.Total, query.Offset, query.Limit, lastSeq));
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> GetAsync(long id, ClaimsPrincipal user, IncidentStore store, IncidentPresenter presenter, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        return await store.GetAsync(id, actor.Scope, ct) is { } incident ? TypedResults.Ok(presenter.AsDto(incident)) : IncidentProblems.NotFound($"Incident {id}");
    }

    private static async Task<Results<Ok<List<IncidentHistoryDto>>, ProblemHttpResult>> HistoryAsync(long id, ClaimsPrincipal user, IncidentStore store,
        IncidentPresenter presenter, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        return await store.GetHistoryAsync(id, actor.Scope, ct) is { } history
            ? TypedResults.Ok(history.Select(presenter.AsDto).ToList()) : IncidentProblems.NotFound($"Incident {id}");
    }

    /// <summary>随手拍: located by buildingId, gridId or lon/lat; the reporter must cover that place.</summary>
    private static async Task<Results<Created<IncidentDto>, ProblemHttpResult>> ReportAsync(ReportRequest request, ClaimsPrincipal user, IncidentStore store, IncidentPresenter presenter, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > 2000) return IncidentProblems.BadRequest("text is required (at most 2000 characters). / 请填写描述");
        if (request.Lon is null != request.Lat is null) return IncidentProblems.BadRequest("Give both lon and lat, or neither.");
        try
        {
            var severity = request.Severity is null ? (Severity?)null : IncidentNames.ParseSeverity(request.Severity);
            var point = request.Lon is { } lon && request.Lat is { } lat ? new GeoPoint(lon, lat) : (GeoPoint?)null;
            var change = await store.ReportManualAsync(new ManualReport(request.Text, request.GridId, request.BuildingId, point, request.PhotoRef, severity), actor, ct);
            return TypedResults.Created($"/api/incidents/{change.Incident.Id}", presenter.AsDto(change.Incident));
        }
        catch (FormatException e) { return IncidentProblems.BadRequest(e.Message); }
        catch (IncidentException e) { return IncidentProblems.From(e); }
    }

    /// <summary>action: dispatch (assigneeId optional), accept, arrive, resolve, close, reopen (note required), cancel (note = reason, required).</summary>
    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> TransitionAsync(long id, TransitionRequest request, ClaimsPrincipal user, IncidentStore store, IncidentPresenter presenter, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        if (request.Action is null || !IncidentNames.TryParseAction(request.Action, out var action))
            return IncidentProblems.BadRequest($"action must be one of {string.Join(", ", Enum.GetValues<IncidentAction>().Select(a => a.Name()))}.");
        try
        {
            var change = await store.TransitionAsync(id, action, actor, request.Note, request.AssigneeId, ct);
            return TypedResults.Ok(presenter.AsDto(change.Incident));
        }
        catch (IncidentException e) { return IncidentProblems.From(e); }
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> FeedbackAsync(long id, FeedbackRequest request, ClaimsPrincipal user, IncidentStore store, IncidentPresenter presenter, CancellationToken ct)
    {
        if (user.GetActor() is not { } actor) return IncidentProblems.NoActor();
        try
        {
            var change = await store.FeedbackAsync(id, request.Satisfaction, request.Comment, actor, ct);
            return TypedResults.Ok(presenter.AsDto(change.Incident));
        }
        catch (IncidentException e) { return IncidentProblems.From(e); }
    }
}
