using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Smart.Core.Demo;
using Smart.Detection.Evaluation;
using Spectre.Console;

namespace Smart.Detection.Cli;

/// <summary><c>scenarios</c>: replays firmware-sim traffic and scores alerts against its ground truth
/// (per scenario: detected, delay; false incidents; precision, recall).</summary>
internal static class ScenariosCommand
{
    public static Command Create()
    {
        var messages = new Option<string>("--messages") { Description = "JSON lines {\"received_ms\":…, \"topic\":\"smart/v1/…\", \"payload\":{…}} in publish order.", Required = true };
        var truth = new Option<string>("--truth") { Description = "CSV scenario,device,building,start_ms,end_ms,expected_type (empty cells = any).", Required = true };
        var cmd = new Command("scenarios", "Score detection on firmware-sim scenarios with ground truth (devices resolved through the demo district).") { messages, truth };
        cmd.SetAction(r => Run(r.GetValue(messages)!, r.GetValue(truth)!));
        return cmd;
    }

    private static int Run(string messagesPath, string truthPath)
    {
        var buildings = DemoDistrict.Create().Devices.ToDictionary(d => d.Id, d => d.BuildingId);
        var evaluator = new ScenarioEvaluator(id => buildings.GetValueOrDefault(id));
        var report = evaluator.Evaluate(ReadMessages(messagesPath), ReadTruth(truthPath));
        var table = new Table().Title($"Scenarios — {report.Messages} messages");
        foreach (var c in new[] { "scenario", "device/building", "expected", "detected", "delay s", "raised" }) table.AddColumn(c);
        foreach (var o in report.Outcomes)
            table.AddRow(o.Truth.Scenario, o.Truth.DeviceId ?? o.Truth.BuildingId ?? "*", o.Truth.ExpectedType ?? "any", o.Detected ? "yes" : "[red]NO[/]",
                o.DelaySeconds?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-", o.FirstAlert?.IncidentType ?? "-");
        AnsiConsole.Write(table);
        foreach (var a in report.FalseAlerts.Take(20)) Console.WriteLine($"false incident: {a.DeviceId} {a.IncidentType} {a.Reason}");
        Console.WriteLine(FormattableString.Invariant($"recall={report.Recall:0.000} precision={report.Precision:0.000} false_incidents={report.FalseAlerts.Count} max_delay_s={report.Outcomes.Max(o => o.DelaySeconds) ?? 0:0.0}"));
        return 0;
    }

    private static IEnumerable<RecordedMessage> ReadMessages(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            yield return new RecordedMessage(root.GetProperty("received_ms").GetInt64(), root.GetProperty("topic").GetString()!, root.GetProperty("payload").GetRawText());
        }
    }

    private static List<GroundTruth> ReadTruth(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(p => new GroundTruth(
            p[0], Empty(p[1]), Empty(p[2]), long.Parse(p[3], CultureInfo.InvariantCulture), long.Parse(p[4], CultureInfo.InvariantCulture), Empty(p.ElementAtOrDefault(5)))).ToList();

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
