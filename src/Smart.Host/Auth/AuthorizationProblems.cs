using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Smart.Host.Auth;

/// <summary>
/// A refused request says why and what to do (RFC 9457 problem details, zh-CN and English), instead of ASP.NET Core's
/// empty 401/403: which sign-in is missing, or which role an endpoint's policy needs. Refusals decided inside an
/// endpoint (scope checks) already write their own problem; this covers the policies in front of the endpoints.
/// </summary>
internal sealed class AuthorizationProblems(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        await _default.HandleAsync(next, context, policy, result);
        if (result.Succeeded || context.Response.HasStarted) return;
        var (title, detail) = result.Challenged
            ? ("未登录 Not signed in",
               "Sign in first: POST /api/auth/token, then send Authorization: Bearer <token>. A token stops working when its person is deactivated or their role or scope changes. / 请先登录（POST /api/auth/token），再带上 Authorization: Bearer <令牌>；人员被停用或角色、范围变更后令牌失效，请重新登录。")
            : ("无权操作 Forbidden", ForbiddenReason(policy));
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = context.Response.StatusCode, Title = title, Detail = detail },
        });
    }

    private static string ForbiddenReason(AuthorizationPolicy policy)
    {
        var roles = policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement>()
            .Where(r => r.ClaimType == ClaimsActor.RoleClaim).SelectMany(r => r.AllowedValues ?? []).ToList();
        return roles switch
        {
            [nameof(Smart.Core.Role.Admin)] => "Only administrators can do this; ask one. / 仅管理员可执行此操作，请联系管理员。",
            [] => "Your role or scope does not allow this. / 您的角色或管辖范围不允许此操作。",
            _ => $"Only these roles can do this: {string.Join(", ", roles)}. / 仅以下角色可执行此操作：{string.Join("、", roles.Select(RoleName))}。",
        };
    }

    private static string RoleName(string role) => role switch
    {
        nameof(Smart.Core.Role.Admin) => "管理员",
        nameof(Smart.Core.Role.Operator) => "值班员",
        _ => role,
    };
}
