using System.Diagnostics;
using Smart.Testing;

namespace Smart.Detection.Tests.Cli;

/// <summary><c>smart-detect</c> as a process: bad input gets one clear line and an exit code, not a stack trace, and
/// a bad file in a folder does not stop the others.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_missing_corpus_is_one_line_that_says_what_to_pass()
    {
        var (code, _, stderr) = await RunAsync("evaluate", "--data", _dir.File("nowhere"));

        Assert.Equal(2, code);
        Assert.StartsWith("smart-detect: No NAB labels at", stderr);
        Assert.Contains("pass --data", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_results_folder_without_the_files_names_the_first_missing_one_and_the_expected_layout()
    {
        Directory.CreateDirectory(_dir.File("empty"));

        var (code, _, stderr) = await RunAsync("evaluate", "--results", _dir.File("empty"), "--detector", "mine");

        Assert.Equal(2, code);
        Assert.Contains("No results file", stderr);
        Assert.Contains("mine_<file>.csv", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task In_a_folder_a_bad_file_is_reported_with_its_line_and_the_good_ones_are_still_scored()
    {
        var input = Directory.CreateDirectory(_dir.File("in")).FullName;
        var rows = Enumerable.Range(0, 50).Select(i => $"2024-01-01 00:{i:D2}:00,{i % 7}");
        await File.WriteAllTextAsync(Path.Combine(input, "a_good.csv"), "timestamp,value\n" + string.Join('\n', rows) + "\n");
        await File.WriteAllTextAsync(Path.Combine(input, "b_bad_time.csv"), "timestamp,value\n2024-01-01 00:00:00,1\nyesterday,2\n");
        await File.WriteAllTextAsync(Path.Combine(input, "c_short_row.csv"), "timestamp,value\n2024-01-01 00:00:00\n");
        await File.WriteAllTextAsync(Path.Combine(input, "d_good.csv"), "timestamp,value\n" + string.Join('\n', rows) + "\n");
        var output = _dir.File("out");

        var (code, stdout, stderr) = await RunAsync("detect", "--in", input, "--out", output);

        Assert.Equal(1, code);
        Assert.Contains("b_bad_time.csv:3: 'yesterday' is not a timestamp", stderr);
        Assert.Contains("c_short_row.csv:2: 1 columns", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Contains("2 files", stdout);
        foreach (var good in new[] { "a_good.csv", "d_good.csv" })
            Assert.Equal(51, (await File.ReadAllLinesAsync(Path.Combine(output, good))).Length);
        Assert.False(File.Exists(Path.Combine(output, "b_bad_time.csv")));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smart-detect.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"smart-detect {string.Join(' ', args)} did not exit within 60 s.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => _dir.Dispose();
}
