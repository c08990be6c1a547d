using System.CommandLine;
using System.Globalization;
using System.Text;
using Smart.Detection.Nab;

namespace Smart.Detection.Cli;

/// <summary><c>detect</c>: timestamp,value CSV → timestamp,value,anomaly_score CSV, file or directory tree.</summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "A timestamp,value CSV file, or a folder of them (searched recursively).", Required = true };
        var output = new Option<string>("--out") { Description = "The result file, or a folder (mirrors the input tree).", Required = true };
        var cmd = new Command("detect", "Run the streaming detectors over timestamp,value CSV and write timestamp,value,anomaly_score.") { input, output };
        cmd.SetAction(r => Run(r.GetValue(input)!, r.GetValue(output)!));
        return cmd;
    }

    private static int Run(string input, string output)
    {
        if (File.Exists(input)) { DetectFile(input, output); return 0; }
        if (!Directory.Exists(input)) { Console.Error.WriteLine($"error: --in {input} is neither a file nor a folder."); return 2; }
        var files = Directory.GetFiles(input, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var failed = 0;
        foreach (var f in files)
        {
            // One bad file is reported and skipped; the others are still scored.
            try { DetectFile(f, Path.Combine(output, Path.GetRelativePath(input, f))); }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                failed++;
                Console.Error.WriteLine($"error: {e.Message}");
            }
        }
        Console.WriteLine($"{files.Count - failed} files → {output}" + (failed > 0 ? $"; {failed} not scored (above)" : ""));
        return failed > 0 ? 1 : 0;
    }

    public static void DetectFile(string input, string output)
    {
        var (ts, values) = NabCorpus.ReadCsv(input);
        var scores = NabDetector.Run(ts, values);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var sb = new StringBuilder("timestamp,value,anomaly_score\n");
        for (var i = 0; i < ts.Count; i++)
            sb.Append(ts[i].ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(',')
              .Append(values[i].ToString("R", CultureInfo.InvariantCulture)).Append(',')
              .Append(scores[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(output, sb.ToString());
    }
}
