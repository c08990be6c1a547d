using Smart.Core.Demo;

namespace Smart.Host.Infrastructure;

public static class InfrastructureExtensions
{
    /// <summary>Options, the service endpoints, and the embedded mosquitto/influxd when no external URL is set.</summary>
    public static WebApplicationBuilder AddSmartInfrastructure(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MqttOptions>().BindConfiguration("Mqtt").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<InfluxSettings>().BindConfiguration("Influx").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration("Database").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration("Demo");
        builder.Services.AddOptions<EmbeddedOptions>().BindConfiguration("Embedded").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new Endpoints(Path.GetFullPath(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmbeddedOptions>>().Value.DataDirectory, builder.Environment.ContentRootPath)));
        builder.Services.AddSingleton(sp => DemoDistrict.Create(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value.Secret));
        builder.Services.AddSingleton<DeviceCredentials>();
        builder.Services.AddSingleton<IBrokerAccountSource, RegistryBrokerAccounts>();
        builder.Services.AddSingleton<EmbeddedInfrastructureService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedInfrastructureService>());
        return builder;
    }
}
