using Smart.Host.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddSmartInfrastructure();

var app = builder.Build();
app.MapGet("/healthz", () => "ok");
app.Run();

/// <summary>The host entry point (public for WebApplicationFactory in tests).</summary>
public partial class Program;
