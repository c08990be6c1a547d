using Smart.Host.Auth;
using Smart.Host.Bridge;
using Smart.Host.Dashboards;
using Smart.Host.Health;
using Smart.Host.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddSmartInfrastructure();
builder.AddSmartAuth();
builder.Services.AddOpenApi();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton<IReadinessCheck, InfrastructureReadiness>();
builder.Services.AddSingleton<DeadLetterStore>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDashboards();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapOpenApi();
app.MapHealth();
app.MapAuthApi();
app.MapDeadLettersApi();
app.Run();

/// <summary>The host entry point (public for WebApplicationFactory in tests).</summary>
public partial class Program;
