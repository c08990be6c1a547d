using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Smart.Core.Incidents;
using Smart.Host.Bridge;
using Smart.Host.Infrastructure;
using Smart.Incidents;

namespace Smart.Host.Incidents;

public static class IncidentsExtensions
{
    /// <summary>The incident store (SQLite under the data directory by default, or PostgreSQL), its start-up, SLA timers and the alert sink.</summary>
    public static WebApplicationBuilder AddSmartIncidents(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<SlaPolicy>().BindConfiguration("Incidents:Sla");
        builder.Services.AddSingleton(sp =>
        {
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataDir = sp.GetRequiredService<Endpoints>().DataDirectory;
            var provider = IncidentStoreOptions.ParseProvider(db.Provider);
            var connection = string.IsNullOrWhiteSpace(db.ConnectionString)
                ? provider == DatabaseProvider.Sqlite ? $"Data Source={Path.Combine(dataDir, "smart.db")}"
                  : throw new InvalidOperationException("Database:Provider is postgres but Database:ConnectionString is empty. Set Database__ConnectionString.")
                : db.ConnectionString;
            var options = new IncidentStoreOptions { Provider = provider, ConnectionString = connection, Sla = sp.GetRequiredService<IOptions<SlaPolicy>>().Value };
            return new IncidentStore(options, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddHostedService<IncidentStoreStartup>();
        builder.Services.AddHostedService<SlaTimerService>();
        builder.Services.AddHostedService<OutboxFanout>();
        builder.Services.AddHostedService<IncidentListener>();
        builder.Services.AddSingleton<IncidentPresenter>();
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<HubSessions>();
        builder.Services.AddHostedService<Smart.Host.People.PeopleFollower>();
        builder.Services.AddSingleton<IAlertSink, IncidentAlertSink>();
        return builder;
    }
}
