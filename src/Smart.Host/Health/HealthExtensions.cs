using Smart.Host.Infrastructure;

namespace Smart.Host.Health;

public static class HealthExtensions
{
    /// <summary><c>/healthz</c>: the process is up. <c>/readyz</c>: broker and InfluxDB are reachable and the bridge is consuming.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapGet("/readyz", (IEnumerable<IReadinessCheck> checks) =>
        {
            var results = checks.Select(c => (c.Name, Ready: c.IsReady(out var why), Why: why)).ToList();
            var body = results.ToDictionary(r => r.Name, r => r.Ready ? "ready" : r.Why);
            return results.All(r => r.Ready) ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).ExcludeFromDescription();
        return app;
    }
}

/// <summary>A component that can say whether it is ready, and if not, why.</summary>
public interface IReadinessCheck
{
    string Name { get; }
    bool IsReady(out string why);
}

internal sealed class InfrastructureReadiness(Endpoints endpoints) : IReadinessCheck
{
    public string Name => "infrastructure";

    public bool IsReady(out string why)
    {
        why = endpoints.Ready.IsFaulted ? endpoints.Ready.Exception!.InnerException!.Message : "starting";
        return endpoints.Ready.IsCompletedSuccessfully;
    }
}
