using System.CommandLine;
using FirmwareSim.Modes;
using FirmwareSim.Registry;
using FirmwareSim.Scenarios;
using Spectre.Console;

namespace FirmwareSim.Cli;

/// <summary>The command line: <c>firmware-sim demo | load | latency | scenarios</c>.</summary>
internal static partial class SimCli
{
    private static readonly Option<string> Broker = new("--broker") { Description = "Broker URL (mqtt://host:port)", DefaultValueFactory = _ => "mqtt://127.0.0.1:1883", Recursive = true };
    private static readonly Option<int> Seed = new("--seed") { Description = "Random seed: the same seed reproduces the same traffic and scenario placement", DefaultValueFactory = _ => 1, Recursive = true };
    private static readonly Option<string?> Devices = new("--devices") { Description = "Device registry: the host's URL (http://host:port, read from /api/devices with --login or --token), a JSON file, or a number N (the first N demo-district devices; for load, synthetic ones beyond 423). Default: the demo district", Recursive = true };
    private static readonly Option<string?> Login = new("--login") { Description = "user:password for the host API when --devices is a URL (e.g. operator:operator123 in the demo)", Recursive = true };
    private static readonly Option<string?> ApiToken = new("--api-token") { Description = "Bearer token for the host API when --devices is a URL", Recursive = true };
    private static readonly Option<string> Secret = new("--secret") { Description = "District secret the per-device MQTT passwords derive from", DefaultValueFactory = _ => Smart.Core.Demo.DemoDistrict.DefaultSecret, Recursive = true };
    private static readonly Option<int> Qos = new("--qos") { Description = "QoS for telemetry (DESIGN §5 says 1)", DefaultValueFactory = _ => 1, Recursive = true };
    private static readonly Option<TimeSpan?> Duration = new("--duration") { Description = "How long to run (simulated time for demo; e.g. 10m, 24h)", CustomParser = CliParsers.Duration, Recursive = true };
    private static readonly Option<string?> GroundTruthFile = new("--ground-truth") { Description = "Write scenario ground truth here (.csv, otherwise JSON Lines)", Recursive = true };
    private static readonly Option<string?> ScenarioDir = new("--scenario-dir") { Description = "Directory of scenario JSON files (default: scenarios/ next to the executable)", Recursive = true };

    public static RootCommand Build()
    {
        var root = new RootCommand("firmware-sim: simulated community IoT devices (烟感, 井盖, 高空抛物, 充电桩) for demos, detection ground truth, load and latency");
        foreach (var o in new Option[] { Broker, Seed, Devices, Login, ApiToken, Secret, Qos, Duration, GroundTruthFile, ScenarioDir }) root.Options.Add(o);
        root.Subcommands.Add(DemoCommand());
        root.Subcommands.Add(LoadCommand());
        root.Subcommands.Add(LatencyCommand());
        root.Subcommands.Add(ScenariosCommand());
        return root;
    }

    private static Command ScenariosCommand()
    {
        var cmd = new Command("scenarios", "List the scenario files 列出场景");
        cmd.SetAction(parse =>
        {
            var library = ScenarioLibrary.Load(parse.GetValue(ScenarioDir));
            var t = new Table().AddColumn("name").AddColumn("target").AddColumn("expect").AddColumn("description");
            foreach (var s in library.All)
                t.AddRow(Markup.Escape(s.Name), $"{s.Target.Devices}× {s.Target.Kind}", Markup.Escape(string.Join(" ", s.Expect.Select(x => x.Type).Distinct())), Markup.Escape(s.Description));
            AnsiConsole.Write(t);
            return 0;
        });
        return cmd;
    }

    /// <summary>Resolves <c>--devices</c>: the host's API, a count, a file, or the demo district.</summary>
    private static IReadOnlyList<SimDevice> ResolveDevices(System.CommandLine.ParseResult parse, string? devices, bool allowSynthetic)
    {
        var secret = parse.GetValue(Secret)!;
        var demo = DeviceRegistry.Demo(secret);
        if (devices is null) return demo;
        if (devices.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || devices.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return HostRegistry.LoadAsync(new Uri(devices), parse.GetValue(ApiToken), parse.GetValue(Login), secret).GetAwaiter().GetResult();
        if (int.TryParse(devices, out var n))
        {
            if (n < 1) throw new ArgumentException("--devices must be at least 1.");
            if (!allowSynthetic && n > demo.Count) throw new ArgumentException($"--devices {n}: the demo district has {demo.Count} devices; pass a registry file for more.");
            return LoadPayloads.Devices(demo, n);
        }
        if (!File.Exists(devices)) throw new FileNotFoundException($"--devices: '{devices}' is neither a number nor an existing registry file.");
        return DeviceRegistry.FromFile(devices, secret);
    }
}
