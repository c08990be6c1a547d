using Smart.Host.Auth;
using Smart.Host.Bridge;
using Smart.Host.Dashboards;
using Smart.Host.Detection;
using Smart.Host.Devices;
using Smart.Host.Health;
using Smart.Host.Hierarchy;
using Smart.Host.Incidents;
using Smart.Host.Infrastructure;
using Smart.Host.Kpis;
using Smart.Host.Metrics;
using Smart.Host.People;
using Smart.Host.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.AddSmartInfrastructure();
builder.AddSmartAuth();
builder.AddSmartIncidents();
// Registered before the bridge: detector state is restored before the first message and saved after the last one.
builder.Services.AddHostedService<DetectionHousekeeping>();
builder.Services.AddHostedService<FireCorrelationFeed>();
builder.AddSmartBridge();
builder.Services.AddOpenApi();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton<IReadinessCheck, InfrastructureReadiness>();
builder.Services.AddHostedService<KpisFanout>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDashboards();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapOpenApi();
app.MapHealth();
app.MapMetrics();
app.MapAuthApi();
app.MapDeadLettersApi();
app.MapHierarchyApi();
app.MapTelemetryApi();
app.MapIncidentsApi();
app.MapDevicesApi();
app.MapPeopleApi();
app.MapKpisApi();
app.MapHub<OpsHub>("/hubs/ops");
app.PrintWelcomeWhenStarted();
app.Run();

/// <summary>The host entry point (public for WebApplicationFactory in tests).</summary>
public partial class Program;
