using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Smart.Host.Infrastructure;
using Smart.Incidents;

namespace Smart.Host.Auth;

/// <summary><c>Auth:*</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>HMAC-SHA256 key (≥ 32 bytes of text). Required outside demo mode; demo mode makes one per run.</summary>
    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "smart-community";
    public int TokenLifetimeMinutes { get; set; } = 12 * 60;
    /// <summary>Token requests per client address per minute.</summary>
    public int TokenRequestsPerMinute { get; set; } = 20;
}

public static class AuthExtensions
{
    public const string OpsPolicy = "ops";
    public const string AdminPolicy = "admin";
    public const string TokenRateLimit = "auth-token";

    public static WebApplicationBuilder AddSmartAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration("Auth");
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<IPeopleDirectory, PeopleDirectory>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenIssuer>((jwt, issuer) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = issuer.ValidationParameters;
                // Browsers cannot set headers on WebSockets: the hub takes the token from access_token (DESIGN §9).
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = ctx =>
                    {
                        var token = ctx.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(token) && ctx.HttpContext.Request.Path.StartsWithSegments("/hubs")) ctx.Token = token;
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = async ctx =>
                    {
                        var store = ctx.HttpContext.RequestServices.GetRequiredService<IncidentStore>();
                        if (!await SessionCheck.StandsAsync(ctx.Principal!, store, ctx.HttpContext.RequestAborted))
                            ctx.Fail("The person was deactivated or their role or scope changed; sign in again.");
                    },
                };
            });
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(OpsPolicy, p => p.RequireClaim(ClaimsActor.RoleClaim, nameof(Smart.Core.Role.Operator), nameof(Smart.Core.Role.Admin)))
            .AddPolicy(AdminPolicy, p => p.RequireClaim(ClaimsActor.RoleClaim, nameof(Smart.Core.Role.Admin)));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(TokenRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = ctx.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.TokenRequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        return builder;
    }
}

/// <summary>Signs and describes tokens. The key comes from configuration, or is random per run in demo mode.</summary>
public sealed class TokenIssuer
{
    private readonly AuthOptions _options;
    private readonly SymmetricSecurityKey _key;

    public TokenIssuer(IOptions<AuthOptions> options, IOptions<DemoOptions> demo)
    {
        _options = options.Value;
        var secret = _options.SigningKey;
        if (string.IsNullOrEmpty(secret))
        {
            if (!demo.Value.Enabled)
                throw new InvalidOperationException("Auth:SigningKey is not set. Set Auth__SigningKey to a secret of at least 32 characters (or run with Demo__Enabled=true).");
            secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }
        if (Encoding.UTF8.GetByteCount(secret) < 32) throw new InvalidOperationException("Auth:SigningKey must be at least 32 characters.");
        _key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret));
        ValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer, ValidAudience = _options.Issuer, IssuerSigningKey = _key,
            ValidateIssuerSigningKey = true, ClockSkew = TimeSpan.FromSeconds(30),
            RoleClaimType = ClaimsActor.RoleClaim, NameClaimType = ClaimsActor.NameClaim,
        };
    }

    public TokenValidationParameters ValidationParameters { get; }

    public (string Token, int ExpiresInSeconds) Issue(Smart.Core.Person person)
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var claims = new Dictionary<string, object>
        {
            [ClaimsActor.PersonClaim] = person.Id, [ClaimsActor.NameClaim] = person.Name, [ClaimsActor.RoleClaim] = person.Role.ToString(),
        };
        if (person.ScopeId is not null) claims[ClaimsActor.ScopeClaim] = person.ScopeId;
        var lifetime = TimeSpan.FromMinutes(_options.TokenLifetimeMinutes);
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer, Audience = _options.Issuer, Claims = claims,
            Expires = DateTime.UtcNow + lifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return (token, (int)lifetime.TotalSeconds);
    }
}
