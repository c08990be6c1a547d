using System.CommandLine;
using Smart.Detection.Cli;

// smart-detect detect --in FILE|DIR --out FILE|DIR     (NAB results format)
// smart-detect evaluate [--data DIR] [--results DIR --detector NAME] [--per-file]
// smart-detect scenarios --messages SIM.jsonl --truth TRUTH.csv   (firmware-sim ground truth)
var root = new RootCommand("Smart.Detection: streaming anomaly detectors and the NAB scorer (DESIGN §7).");
root.Subcommands.Add(DetectCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(ScenariosCommand.Create());
return root.Parse(args).Invoke();
