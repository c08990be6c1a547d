using System.Globalization;
using System.Text.Json;

namespace Smart.Detection.Nab;

/// <summary>One labelled series: rows in file order (timestamps may repeat or step back) and its windows.</summary>
public sealed record NabSeries(string RelativePath, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Values, IReadOnlyList<(DateTime Start, DateTime End)> Windows);

/// <summary>Reads a NAB corpus laid out as <c>data/&lt;category&gt;/&lt;file&gt;.csv</c> + <c>labels/combined_windows.json</c>.</summary>
public static class NabCorpus
{
    public static IReadOnlyList<NabSeries> Load(string root)
    {
        var windowsPath = Path.Combine(root, "labels", "combined_windows.json");
        if (!File.Exists(windowsPath))
            throw new FileNotFoundException($"No NAB labels at {windowsPath}; pass --data with a folder holding data/ and labels/ (e.g. ../shared/datasets/nab-dev).", windowsPath);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(windowsPath));
        var series = new List<NabSeries>();
        foreach (var entry in doc.RootElement.EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var windows = entry.Value.EnumerateArray()
                .Select(w => (ParseTime(w[0].GetString()!), ParseTime(w[1].GetString()!))).ToList();
            var (ts, values) = ReadCsv(Path.Combine(root, "data", entry.Name));
            series.Add(new NabSeries(entry.Name, ts, values, windows));
        }
        return series;
    }

    /// <summary>Reads <c>timestamp,value[,...]</c> with a header; returns the timestamps and the value column.</summary>
    public static (List<DateTime> Timestamps, List<double> Values) ReadCsv(string path, string column = "value")
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? throw new InvalidDataException($"{path} is empty; expected a header 'timestamp,value'.");
        var col = Array.IndexOf(header, column);
        if (col < 1 || header[0] != "timestamp")
            throw new InvalidDataException($"{path}: header '{string.Join(',', header)}' lacks 'timestamp' first and a '{column}' column.");
        var ts = new List<DateTime>();
        var values = new List<double>();
        var line = 1;
        for (var s = reader.ReadLine(); s is not null; s = reader.ReadLine())
        {
            line++;
            if (s.Length == 0) continue;
            var parts = s.Split(',');
            if (parts.Length <= col)
                throw new InvalidDataException($"{path}:{line}: {parts.Length} columns, but '{column}' is column {col + 1} of the header.");
            ts.Add(TryParseTime(parts[0], out var t)
                ? t : throw new InvalidDataException($"{path}:{line}: '{parts[0]}' is not a timestamp; expected yyyy-MM-dd HH:mm:ss (UTC)."));
            values.Add(double.TryParse(parts[col], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v : throw new InvalidDataException($"{path}:{line}: '{parts[col]}' is not a number."));
        }
        return (ts, values);
    }

    /// <summary>
    /// Finds the NAB dev split: <c>SMART_NAB_DATA</c> if set, else <c>shared/datasets/nab-dev</c> beside any parent of
    /// <paramref name="start"/> (the repository sits next to <c>shared/</c>), else the workplace's <c>/work/shared</c>
    /// (a clean clone elsewhere on the machine).
    /// </summary>
    public static string FindDevSplit(string? start = null)
    {
        if (Environment.GetEnvironmentVariable("SMART_NAB_DATA") is { Length: > 0 } configured)
            return Directory.Exists(configured) ? configured : throw new DirectoryNotFoundException($"SMART_NAB_DATA={configured} does not exist.");
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets", "nab-dev");
            if (Directory.Exists(candidate)) return candidate;
        }
        const string Workplace = "/work/shared/datasets/nab-dev";
        if (Directory.Exists(Workplace)) return Workplace;
        throw new DirectoryNotFoundException("The NAB dev split (shared/datasets/nab-dev) was not found above " +
            (start ?? AppContext.BaseDirectory) + "; set SMART_NAB_DATA or pass --data DIR.");
    }

    private static readonly string[] TimeFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ"];

    public static DateTime ParseTime(string s) =>
        TryParseTime(s, out var t) ? t : throw new FormatException($"'{s}' is not a timestamp; expected yyyy-MM-dd HH:mm:ss (UTC).");

    public static bool TryParseTime(string s, out DateTime t) =>
        DateTime.TryParseExact(s, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out t);

    public static long ToUnixMs(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalMilliseconds;
}
