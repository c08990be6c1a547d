using System.Globalization;
using FirmwareSim.Engine;
using FirmwareSim.Scenarios;
using Spectre.Console;

namespace FirmwareSim.Modes;

/// <summary>
/// What <c>demo</c> runs beyond the fleet itself. <c>Scenarios</c>: inject these once each, in order; empty: draw at
/// random from the library, unless <c>NoScenarios</c>.
/// </summary>
internal sealed record DemoSettings(TimeSpan? Duration, IReadOnlyList<string> Scenarios, bool NoScenarios, TimeSpan FirstScenario,
    TimeSpan ScenarioEvery, string? GroundTruthPath)
{
    public bool RandomScenarios => Scenarios.Count == 0 && !NoScenarios;
}

/// <summary>
/// <c>demo</c>: the whole district at its normal sampling rates, with scenarios injected from time to time (the listed
/// ones in order, or a reproducible random draw), ground truth rewritten after every injection.
/// </summary>
internal static class DemoMode
{
    public static async Task<int> RunAsync(Simulator sim, DemoSettings settings, CancellationToken ct)
    {
        AnsiConsole.MarkupLine($"[bold]firmware-sim demo[/] · 演示 · {sim.Devices.Count} devices → {Markup.Escape(sim.Options.BrokerUrl)} · seed {sim.Options.Seed} · speed ×{sim.Options.Speed}");
        await sim.StartAsync(ct).ConfigureAwait(false);
        AnsiConsole.MarkupLine($"connected 已连接 {sim.ConnectedDevices}/{sim.Devices.Count}");
        try
        {
            await RunScheduleAsync(sim, settings, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("stopping 正在停止 …");
        }
        await sim.StopAsync().ConfigureAwait(false);
        if (settings.GroundTruthPath is { } gt)
        {
            await sim.WriteGroundTruthAsync(gt, CancellationToken.None).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"ground truth 标注 → {Markup.Escape(gt)} ({sim.GroundTruth().Count} rows)");
        }
        Report(sim);
        return 0;
    }

    /// <summary>
    /// Injects scenarios at planned simulated instants. Each is placed one wall-clock second ahead of its onset, so the
    /// engine has not yet produced that instant at any speed and the run is the same for the same seed.
    /// </summary>
    private static async Task RunScheduleAsync(Simulator sim, DemoSettings settings, CancellationToken ct)
    {
        var end = settings.Duration is { } d ? sim.Clock.StartMs + (long)d.TotalMilliseconds : long.MaxValue;
        var lookaheadMs = (long)(1000 * sim.Options.Speed);
        var pick = StableRandom.For(sim.Options.Seed, 0xDE70, 0);
        var next = sim.Clock.StartMs + (long)settings.FirstScenario.TotalMilliseconds;
        var names = settings.Scenarios.Count > 0 ? settings.Scenarios : sim.Scenarios.Names.Order(StringComparer.Ordinal).ToList();
        var injected = 0;
        var lastReport = DateTime.UtcNow;
        while (!ct.IsCancellationRequested && sim.Clock.NowMs < end)
        {
            if (!settings.NoScenarios && sim.Clock.NowMs + lookaheadMs >= next && next < end && (settings.RandomScenarios || injected < names.Count))
            {
                Inject(sim, settings.RandomScenarios ? names[pick.Next(names.Count)] : names[injected], next);
                injected++;
                next += (long)settings.ScenarioEvery.TotalMilliseconds;
                if (settings.GroundTruthPath is { } path) await sim.WriteGroundTruthAsync(path, ct).ConfigureAwait(false);
            }
            if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(2)) { Report(sim); lastReport = DateTime.UtcNow; }
            await Task.Delay(20, ct).ConfigureAwait(false);
        }
    }

    private static void Inject(Simulator sim, string name, long onsetMs)
    {
        try
        {
            var s = sim.InjectAt(sim.Scenarios[name], onsetMs);
            AnsiConsole.MarkupLine($"[yellow]{Time(onsetMs)}[/] scenario 场景 [bold]{Markup.Escape(s.Id)}[/] on {Markup.Escape(string.Join(", ", s.DeviceIds))}{(s.Port > 0 ? $" port {s.Port}" : "")} → {Markup.Escape(string.Join(" ", s.Definition.Expect.Select(x => x.Type).Distinct()))}");
        }
        catch (InvalidOperationException e)
        {
            AnsiConsole.MarkupLine($"[red]skipped {Markup.Escape(name)}:[/] {Markup.Escape(e.Message)}");
        }
    }

    private static void Report(Simulator sim) =>
        AnsiConsole.MarkupLine($"[grey]{Time(sim.Clock.NowMs)}[/] online {sim.ConnectedDevices}/{sim.Devices.Count} · {Markup.Escape(sim.Stats.ToString())} buffered={sim.BufferedMessages}");

    private static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(TimeSpan.FromHours(8)).ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
