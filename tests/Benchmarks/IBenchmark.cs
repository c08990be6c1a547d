using System.Globalization;
using System.Text;

namespace Smart.Benchmarks;

/// <summary>A named benchmark runnable by <c>./smart bench NAME</c>.</summary>
public interface IBenchmark
{
    string Name { get; }
    Task<BenchResult> RunAsync(string[] args);
}

/// <summary>The one line a benchmark ends with: <c>RESULT NAME key=value …</c> (plain numbers, unit in the key).</summary>
public sealed class BenchResult(string name)
{
    private readonly List<(string Key, double Value)> _values = [];

    public BenchResult Add(string key, double value)
    {
        _values.Add((key, value));
        return this;
    }

    public override string ToString()
    {
        var sb = new StringBuilder("RESULT ").Append(name);
        foreach (var (key, value) in _values)
            sb.Append(' ').Append(key).Append('=').Append(Math.Round(value, 3).ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}

/// <summary>A benchmark's <c>--name value</c> options.</summary>
internal static class BenchArgs
{
    public static string Get(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public static double Number(string[] args, string name, double fallback) =>
        Array.IndexOf(args, name) >= 0 ? double.Parse(Get(args, name, ""), CultureInfo.InvariantCulture) : fallback;
}
