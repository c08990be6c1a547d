using System.Text.Json;
using FirmwareSim.Modes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Smart.Core;
using Smart.Mqtt;
using Smart.Testing;
using Xunit.Abstractions;

namespace FirmwareSim.Tests.Broker;

/// <summary>
/// Latency mode against a real SignalR hub and a real broker. The detection pipeline is replaced by a stand-in (it
/// raises <c>camera.falling_object</c> for every confident detection it reads from MQTT), so this checks the
/// measurement — onset matching, hub protocol, percentiles — not the host's speed; that is the lead's latency benchmark.
/// </summary>
[Collection(BrokerCollection.Name)]
public class LatencyModeTests(SecuredMosquittoFixture broker, ITestOutputHelper output)
{
    public sealed class OpsHub : Microsoft.AspNetCore.SignalR.Hub;

    [Fact]
    public async Task Latency_mode_times_each_onset_to_its_incident_on_a_stand_in_hub()
    {
        var port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        await using var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<OpsHub>("/hubs/ops");
        await app.StartAsync();
        var hub = app.Services.GetRequiredService<IHubContext<OpsHub>>();
        using var stop = new CancellationTokenSource();
        var standIn = RaiseIncidentsAsync(hub, stop.Token);

        var cameras = broker.Devices.Where(d => d.Kind == DeviceKind.Camera).ToList();
        await using var sim = new Simulator(broker.SimulatorOptions(cameras, seed: 31));
        var settings = new LatencySettings(new Uri($"http://127.0.0.1:{port}/hubs/ops"), null, "falling-object", Samples: 4,
            Every: TimeSpan.FromMilliseconds(100), Timeout: TimeSpan.FromSeconds(15));
        var report = await LatencyMode.MeasureAsync(sim, settings);
        await sim.StopAsync();
        await stop.CancelAsync();
        await standIn;

        output.WriteLine($"p50={report.Percentile(50):F1} ms max={report.Max:F1} ms missed={report.Missed}");
        Assert.Equal(0, report.Missed);
        Assert.Equal(4, report.LatenciesMs.Count);
        // Each onset waits 2 s for its trigger (the scenario's at_s), which must not be counted: only publish → hub.
        Assert.All(report.LatenciesMs, ms => Assert.InRange(ms, 0.01, 4000));
        Assert.True(report.Percentile(50) < 1500, $"median {report.Percentile(50):F0} ms: the 2 s before the trigger must not count");
        Assert.True(report.Percentile(50) <= report.Percentile(99) && report.Percentile(99) <= report.Max);
    }

    private async Task RaiseIncidentsAsync(IHubContext<OpsHub> hub, CancellationToken ct)
    {
        var options = MqttClientOptions.FromUrl(broker.Url);
        options.ClientId = "stand-in-detection";
        options.Username = SecuredMosquittoFixture.Observer;
        options.Password = SecuredMosquittoFixture.ObserverPassword;
        await using var client = new MqttClient(options);
        await client.ConnectAsync(ct);
        await client.SubscribeAsync("smart/v1/camera/+/event", MqttQos.AtLeastOnce, ct);
        var seq = 0;
        try
        {
            await foreach (var m in client.Messages.ReadAllAsync(ct))
            {
                using var doc = JsonDocument.Parse(m.Payload);
                if (doc.RootElement.GetProperty("type").GetString() == "falling_object" && doc.RootElement.GetProperty("confidence").GetDouble() >= 0.8)
                {
                    var device = m.Topic.Split('/')[3];
                    await hub.Clients.All.SendAsync("incident", new { seq = ++seq, change = "created", incident = new { type = "camera.falling_object", deviceId = device } }, ct);
                }
                await client.AcknowledgeAsync(m, ct);
            }
        }
        catch (OperationCanceledException) { }
    }
}
