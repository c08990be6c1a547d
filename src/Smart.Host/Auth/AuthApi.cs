using Microsoft.AspNetCore.Http.HttpResults;

namespace Smart.Host.Auth;

public static class AuthApi
{
    public sealed record TokenRequest(string? Username, string? Password);
    public sealed record TokenResponse(string AccessToken, int ExpiresIn, string Role, string? ScopeId, string Name, string PersonId);

    /// <summary><c>POST /api/auth/token</c>: username + password → bearer token with role and scope (rate limited).</summary>
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (TokenRequest request, IPeopleDirectory people, TokenIssuer issuer, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
                return TypedResults.Problem("username and password are required / 请输入用户名和密码", statusCode: StatusCodes.Status400BadRequest);
            var person = await people.AuthenticateAsync(request.Username, request.Password, ct);
            if (person is null)
                return TypedResults.Problem("wrong username or password / 用户名或密码错误", statusCode: StatusCodes.Status401Unauthorized);
            var (token, expiresIn) = issuer.Issue(person);
            return TypedResults.Ok(new TokenResponse(token, expiresIn, person.Role.ToString(), person.ScopeId, person.Name, person.Id));
        })
        .RequireRateLimiting(AuthExtensions.TokenRateLimit)
        .AllowAnonymous()
        .WithName("IssueToken")
        .WithTags("Auth");
        return app;
    }
}
