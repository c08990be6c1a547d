using System.CommandLine;
using System.Globalization;
using FirmwareSim.Modes;
using Spectre.Console;

namespace FirmwareSim.Cli;

internal static partial class SimCli
{
    private static Command LatencyCommand()
    {
        var hub = new Option<string>("--hub") { Description = "The host's SignalR hub", DefaultValueFactory = _ => "http://127.0.0.1:5000/hubs/ops" };
        var token = new Option<string?>("--token") { Description = "Bearer token for the hub; default: $SMART_TOKEN, or one for --login" };
        var scenario = new Option<string>("--scenario") { Description = "Scenario whose onset is timed (an instant trigger measures the pipeline, not a ramp)", DefaultValueFactory = _ => "falling-object" };
        var samples = new Option<int>("--samples") { Description = "How many onsets to time", DefaultValueFactory = _ => 20 };
        var every = new Option<TimeSpan>("--every") { Description = "Pause between samples", CustomParser = CliParsers.DurationOrDefault, DefaultValueFactory = _ => TimeSpan.FromSeconds(2) };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "Give up on a sample after", CustomParser = CliParsers.DurationOrDefault, DefaultValueFactory = _ => TimeSpan.FromSeconds(30) };
        var cmd = new Command("latency", "Publish → incident-on-hub latency under background traffic 端到端时延") { hub, token, scenario, samples, every, timeout };
        cmd.SetAction(async (parse, ct) =>
        {
            var options = new SimulatorOptions
            {
                BrokerUrl = parse.GetValue(Broker)!, Seed = parse.GetValue(Seed), AtLeastOnce = parse.GetValue(Qos) > 0,
                Devices = ResolveDevices(parse, parse.GetValue(Devices), allowSynthetic: false),
                ScenarioDirectory = parse.GetValue(ScenarioDir),
            };
            await using var sim = new Simulator(options);
            _ = sim.Scenarios[parse.GetValue(scenario)!];
            var hubUrl = new Uri(parse.GetValue(hub)!);
            var accessToken = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("SMART_TOKEN")
                ?? (parse.GetValue(Login) is { } login ? await Registry.HostRegistry.TokenAsync(new Uri(hubUrl, "/"), login, ct) : null);
            var settings = new LatencySettings(hubUrl, accessToken,
                parse.GetValue(scenario)!, parse.GetValue(samples), parse.GetValue(every), parse.GetValue(timeout));
            var report = await LatencyMode.MeasureAsync(sim, settings, ct);
            await sim.StopAsync();
            if (parse.GetValue(GroundTruthFile) is { } gt) await sim.WriteGroundTruthAsync(gt, CancellationToken.None);
            var t = new Table().Title("端到端时延 publish → incident").AddColumn("p50 ms").AddColumn("p95 ms").AddColumn("p99 ms").AddColumn("max ms").AddColumn("missed").AddColumn("background msg/s");
            t.AddRow(F(report.Percentile(50)), F(report.Percentile(95)), F(report.Percentile(99)), F(report.Max), report.Missed.ToString(CultureInfo.InvariantCulture), F(report.BackgroundMsgsPerSecond));
            AnsiConsole.Write(t);
            return report.Missed == 0 ? 0 : 1;
        });
        return cmd;
    }

    private static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("F1", CultureInfo.InvariantCulture);
}
