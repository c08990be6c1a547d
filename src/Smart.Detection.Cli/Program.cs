using System.CommandLine;
using Smart.Detection.Cli;

// smart-detect detect --in FILE|DIR --out FILE|DIR     (NAB results format)
// smart-detect evaluate [--data DIR] [--results DIR --detector NAME] [--per-file] [--phases]
// smart-detect scenarios --messages SIM.jsonl --truth TRUTH.csv   (firmware-sim ground truth)
var root = new RootCommand("Smart.Detection: streaming anomaly detectors and the NAB scorer (DESIGN §7).");
root.Subcommands.Add(DetectCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(ScenariosCommand.Create());
try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException or ArgumentException)
{
    // Bad input or environment: one clear line that says what to fix, no stack trace.
    Console.Error.WriteLine($"smart-detect: {e.Message}");
    return 2;
}
