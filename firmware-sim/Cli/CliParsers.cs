using System.CommandLine.Parsing;
using System.Globalization;

namespace FirmwareSim.Cli;

internal static class CliParsers
{
    /// <summary>Durations as people type them: <c>90s</c>, <c>10m</c>, <c>24h</c>, <c>1.5h</c>, <c>2d</c>, <c>500ms</c> or <c>hh:mm:ss</c>.</summary>
    public static TimeSpan? Duration(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.Trim();
        if (TryParseDuration(text, out var span)) return span;
        result.AddError($"'{text}' is not a duration; use e.g. 90s, 10m, 24h, 1.5h, 2d or 00:10:00.");
        return null;
    }

    public static TimeSpan DurationOrDefault(ArgumentResult result) => Duration(result) ?? TimeSpan.Zero;

    public static bool TryParseDuration(string text, out TimeSpan span)
    {
        (string Suffix, double Ms)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];
        foreach (var (suffix, ms) in units.OrderByDescending(u => u.Suffix.Length))
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0)
            {
                span = TimeSpan.FromMilliseconds(v * ms);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out span) && span >= TimeSpan.Zero;
    }
}
