using System.Globalization;
using Spectre.Console;

namespace FirmwareSim.Modes;

/// <summary>Live view of a load run (sent, acked, rate, errors) and its final report; plain lines when output is redirected.</summary>
internal static class LoadView
{
    public static async Task<LoadReport> RunAsync(LoadRunner runner, LoadOptions options, CancellationToken ct)
    {
        var run = runner.RunAsync(ct);
        if (Console.IsOutputRedirected)
        {
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
                Console.WriteLine(Line(runner));
            }
        }
        else
        {
            await AnsiConsole.Live(Table(runner, options)).StartAsync(async ctx =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
                    ctx.UpdateTarget(Table(runner, options));
                }
            }).ConfigureAwait(false);
        }
        var report = await run.ConfigureAwait(false);
        Print(report, runner.LastError);
        return report;
    }

    private static double Rate(LoadRunner r) => r.Elapsed.TotalSeconds > 0 ? r.Acked / r.Elapsed.TotalSeconds : 0;

    private static string Line(LoadRunner r) =>
        string.Create(CultureInfo.InvariantCulture, $"sent={r.Sent} acked={r.Acked} rate={Rate(r):F0}/s errors={r.Errors} elapsed={r.Elapsed.TotalSeconds:F1}s");

    private static Table Table(LoadRunner r, LoadOptions o)
    {
        var t = new Table().Border(TableBorder.Rounded).Title($"firmware-sim load · 负载 · {o.Devices.Count} devices / {o.Connections} connections · QoS {(o.AtLeastOnce ? 1 : 0)}");
        t.AddColumn("已发送 sent").AddColumn("已确认 acked").AddColumn("速率 rate (msg/s)").AddColumn("错误 errors").AddColumn("用时 elapsed");
        t.AddRow($"{r.Sent:N0}", $"{r.Acked:N0}", $"{Rate(r):N0}", r.Errors == 0 ? "0" : $"[red]{r.Errors:N0}[/]", $"{r.Elapsed.TotalSeconds:F1} s");
        return t;
    }

    private static void Print(LoadReport report, string? lastError)
    {
        var t = new Table().Border(TableBorder.Rounded).Title("负载测试报告 load report");
        t.AddColumn("指标 metric").AddColumn(new TableColumn("值 value").RightAligned());
        t.AddRow("已发送 sent", $"{report.Sent:N0}");
        t.AddRow(report.AtLeastOnce ? "已确认 acked (PUBACK)" : "已写出 written (QoS 0)", $"{report.Acked:N0}");
        t.AddRow("错误 errors", $"{report.Errors:N0}");
        t.AddRow("用时 elapsed", $"{report.Elapsed.TotalSeconds:F2} s");
        t.AddRow("目标速率 target", report.TargetRate > 0 ? $"{report.TargetRate:N0} msg/s" : "max");
        t.AddRow("实际速率 achieved", $"{report.MessagesPerSecond:N0} msg/s");
        if (lastError is not null) t.AddRow("最后错误 last error", Markup.Escape(lastError));
        AnsiConsole.Write(t);
    }
}
