using System.CommandLine;
using FirmwareSim.Modes;
using FirmwareSim.Transport;

namespace FirmwareSim.Cli;

internal static partial class SimCli
{
    private static Command DemoCommand()
    {
        var speed = new Option<double>("--speed") { Description = "Simulated seconds per real second (1440: a day per minute). Above 1 the run starts --duration in the past so timestamps end near now", DefaultValueFactory = _ => 1 };
        var start = new Option<DateTimeOffset?>("--start") { Description = "Simulated start time (ISO 8601)" };
        var scenarios = new Option<string[]>("--scenarios") { Description = "Scenarios to inject in this order (comma separated); default: a random draw from all", AllowMultipleArgumentsPerToken = true };
        var none = new Option<bool>("--no-scenarios") { Description = "Normal traffic only (false-alarm measurement)" };
        var first = new Option<TimeSpan>("--first-scenario") { Description = "Simulated delay before the first scenario", CustomParser = CliParsers.DurationOrDefault, DefaultValueFactory = _ => TimeSpan.FromMinutes(1) };
        var every = new Option<TimeSpan>("--scenario-every") { Description = "Simulated time between scenarios", CustomParser = CliParsers.DurationOrDefault, DefaultValueFactory = _ => TimeSpan.FromMinutes(10) };
        var scale = new Option<double>("--interval-scale") { Description = "Multiply every device's sampling interval (0.1 = ten times faster sampling)", DefaultValueFactory = _ => 1 };
        var cmd = new Command("demo", "The demo district at realistic rates with scenarios from time to time 演示") { speed, start, scenarios, none, first, every, scale };
        cmd.SetAction(async (parse, ct) =>
        {
            var duration = parse.GetValue(Duration);
            var spd = parse.GetValue(speed);
            var options = new SimulatorOptions
            {
                BrokerUrl = parse.GetValue(Broker)!, Seed = parse.GetValue(Seed), Speed = spd,
                Start = parse.GetValue(start) ?? (spd > 1 && duration is { } d ? DateTimeOffset.UtcNow - d : null),
                Devices = ResolveDevices(parse, parse.GetValue(Devices), allowSynthetic: false),
                IntervalScale = parse.GetValue(scale), AtLeastOnce = parse.GetValue(Qos) > 0, ScenarioDirectory = parse.GetValue(ScenarioDir),
            };
            var names = (parse.GetValue(scenarios) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            await using var sim = new Simulator(options);
            foreach (var n in names) _ = sim.Scenarios[n]; // fail fast on a typo, listing what exists
            var settings = new DemoSettings(duration, names, parse.GetValue(none), parse.GetValue(first), parse.GetValue(every), parse.GetValue(GroundTruthFile));
            return await DemoMode.RunAsync(sim, settings, ct);
        });
        return cmd;
    }

    private static Command LoadCommand()
    {
        var rate = new Option<double>("--rate") { Description = "Target total msgs/s (0: as fast as possible)" };
        var count = new Option<long>("--count") { Description = "Send exactly this many messages (overrides --duration)" };
        var connections = new Option<int>("--connections") { Description = "MQTT connections the devices are multiplexed over", DefaultValueFactory = _ => 4 };
        var user = new Option<string?>("--username") { Description = "Load user; the broker ACL must allow it to write smart/v1/#" };
        var password = new Option<string?>("--password") { Description = "Load user's password" };
        var window = new Option<int>("--window") { Description = "Unacknowledged QoS 1 publishes per connection", DefaultValueFactory = _ => 2000 };
        var cmd = new Command("load", "N devices at a target total rate 负载测试") { rate, count, connections, user, password, window };
        cmd.SetAction(async (parse, ct) =>
        {
            var options = new LoadOptions
            {
                BrokerUrl = parse.GetValue(Broker)!, Seed = parse.GetValue(Seed), Rate = parse.GetValue(rate), Count = parse.GetValue(count),
                Duration = parse.GetValue(Duration) ?? TimeSpan.FromSeconds(10), AtLeastOnce = parse.GetValue(Qos) > 0,
                Connections = parse.GetValue(connections), Username = parse.GetValue(user), Password = parse.GetValue(password),
                Window = parse.GetValue(window),
                Devices = ResolveDevices(parse, parse.GetValue(Devices) ?? "1000", allowSynthetic: true),
            };
            var report = await LoadView.RunAsync(new LoadRunner(options, new SmartMqttLinkFactory()), options, ct);
            return report.Errors == 0 && (options.Count == 0 || report.Acked == options.Count) ? 0 : 1;
        });
        return cmd;
    }
}
