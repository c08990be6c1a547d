namespace Smart.Host.Bridge;

public static class DeadLettersApi
{
    /// <summary><c>GET /api/dead-letters?reason=&amp;limit=</c>: what the bridge refused and why.</summary>
    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dead-letters", (DeadLetterStore store, string? reason, int? limit) =>
        {
            var take = Math.Clamp(limit ?? 100, 1, 1000);
            return TypedResults.Ok(new { counts = store.CountsByReason, items = store.List(reason, take) });
        })
        .RequireAuthorization(Smart.Host.Auth.AuthExtensions.OpsPolicy)
        .WithName("ListDeadLetters")
        .WithTags("Telemetry")
        .WithSummary("Messages the bridge refused (bad JSON, unknown device, …), newest first, with counts per reason");
        return app;
    }
}
