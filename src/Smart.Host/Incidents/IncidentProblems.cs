using Microsoft.AspNetCore.Http.HttpResults;
using Smart.Core.Incidents;

namespace Smart.Host.Incidents;

/// <summary>Incident errors as ProblemDetails: not found 404, forbidden 403, wrong state or conflict 409, bad input 400.</summary>
public static class IncidentProblems
{
    public static ProblemHttpResult From(IncidentException e) => e.Error switch
    {
        IncidentError.NotFound => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "未找到 Not found"),
        IncidentError.Forbidden => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden, title: "无权操作 Forbidden"),
        IncidentError.InvalidTransition => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "状态不允许 Invalid transition"),
        IncidentError.Conflict => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "冲突 Conflict"),
        _ => BadRequest(e.Message),
    };

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "请求无效 Invalid request");

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem($"{what} not found.", statusCode: StatusCodes.Status404NotFound, title: "未找到 Not found");

    /// <summary>An authenticated token without a usable role/scope claim.</summary>
    public static ProblemHttpResult NoActor() =>
        TypedResults.Problem("Your token carries no role or scope; log in again. / 令牌缺少角色或范围，请重新登录。", statusCode: StatusCodes.Status403Forbidden);
}
