using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Smart.Influx.Query;

/// <summary>
/// Parses <c>/query</c> answers: with <c>chunked=true</c> InfluxDB sends one JSON object per line
/// (<c>{"results":[{"statement_id":0,"series":[{"name":..,"tags":{..},"columns":[..],"values":[[..]],"partial":true}]}]}</c>),
/// each parsed as it arrives. A statement or top-level <c>"error"</c> throws <see cref="InfluxQueryException"/>.
/// </summary>
internal static class ChunkedResultReader
{
    public static async IAsyncEnumerable<InfluxSeries> ReadAsync(PipeReader reader, string influxql, [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var read = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = read.Buffer;
            var series = new List<InfluxSeries>();
            while (TryTakeLine(ref buffer, out var line) || (read.IsCompleted && TryTakeRest(ref buffer, out line)))
                Parse(line, influxql, series);
            reader.AdvanceTo(buffer.Start, buffer.End);
            foreach (var s in series) yield return s;
            if (read.IsCompleted) yield break;
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var end = buffer.PositionOf((byte)'\n');
        if (end is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        return true;
    }

    private static bool TryTakeRest(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        line = buffer;
        buffer = buffer.Slice(buffer.End);
        return !line.IsEmpty;
    }

    private static void Parse(ReadOnlySequence<byte> line, string influxql, List<InfluxSeries> into)
    {
        if (line.IsEmpty) return;
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var error)) throw new InfluxQueryException($"InfluxQL '{influxql}' failed: {error.GetString()}");
        if (!root.TryGetProperty("results", out var results)) return;
        foreach (var result in results.EnumerateArray())
        {
            var statement = result.TryGetProperty("statement_id", out var id) ? id.GetInt32() : 0;
            if (result.TryGetProperty("error", out error))
                throw new InfluxQueryException($"InfluxQL '{influxql}' failed in statement {statement}: {error.GetString()}");
            if (!result.TryGetProperty("series", out var series)) continue;
            foreach (var s in series.EnumerateArray()) into.Add(ToSeries(statement, s));
        }
    }

    private static InfluxSeries ToSeries(int statement, JsonElement s)
    {
        var name = s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var tags = new Dictionary<string, string>();
        if (s.TryGetProperty("tags", out var t))
            foreach (var p in t.EnumerateObject()) tags[p.Name] = p.Value.GetString() ?? "";
        var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
        var rows = new List<object?[]>();
        if (s.TryGetProperty("values", out var values))
            foreach (var row in values.EnumerateArray()) rows.Add(row.EnumerateArray().Select(Cell).ToArray());
        return new InfluxSeries(statement, name, tags, columns, rows);
    }

    private static object? Cell(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when IsIntegerToken(e) && e.TryGetInt64(out var l) => l,
        JsonValueKind.Number => e.GetDouble(),
        _ => null,
    };

    // A float InfluxDB prints without a fraction ("4") reads as long; "-0" stays a negative-zero double.
    private static bool IsIntegerToken(JsonElement e)
    {
        var raw = e.GetRawText();
        return raw != "-0" && raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0;
    }
}
