using Microsoft.Extensions.Options;
using Smart.Detection;
using Smart.Host.Health;
using Smart.Host.Metrics;
using Smart.Host.Telemetry;

namespace Smart.Host.Bridge;

public static class BridgeExtensions
{
    /// <summary>MQTT → decode → InfluxDB + detection → incidents, with its stores, metrics and readiness.</summary>
    public static WebApplicationBuilder AddSmartBridge(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<BridgeOptions>().BindConfiguration("Bridge").ValidateDataAnnotations().ValidateOnStart();
        s.AddOptions<DetectionOptions>().BindConfiguration("Detection");
        s.AddSingleton(sp => new DetectionEngine(sp.GetRequiredService<IOptions<DetectionOptions>>().Value));
        s.AddSingleton<DeviceDirectory>();
        s.AddSingleton<MessageDecoder>();
        s.AddSingleton<DeadLetterStore>();
        s.AddSingleton<SeqTracker>();
        s.AddSingleton(sp => new MinuteRollups(sp.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds()));
        s.AddSingleton<DeviceStatusBoard>();
        s.AddSingleton<LiveTelemetry>();
        s.AddSingleton<BridgeMetrics>();
        s.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<BridgeMetrics>());
        s.AddSingleton<MessageHandler>();
        s.AddSingleton<TelemetryStore>();
        s.AddHostedService(sp => sp.GetRequiredService<TelemetryStore>());
        s.AddSingleton<BrokerListening>();
        s.AddSingleton<BridgeService>();
        s.AddHostedService(sp => sp.GetRequiredService<BridgeService>());
        s.AddSingleton<IReadinessCheck, BridgeReadiness>();
        s.AddHostedService<TelemetryFanout>();
        return builder;
    }
}

internal sealed class BridgeReadiness(BridgeService bridge) : IReadinessCheck
{
    public string Name => "bridge";

    public bool IsReady(out string why)
    {
        why = "not connected to the broker";
        return bridge.IsConsuming;
    }
}
