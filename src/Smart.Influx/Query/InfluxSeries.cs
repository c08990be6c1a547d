namespace Smart.Influx.Query;

/// <summary>
/// One series of an InfluxQL result: measurement <see cref="Name"/>, its GROUP BY <see cref="Tags"/>, the
/// <see cref="Columns"/> and the rows. Row cells are <see cref="long"/> (JSON integers, including
/// <c>time</c> with <c>epoch=ms</c> and whole floats, which InfluxDB prints without a fraction), <see cref="double"/>,
/// <see cref="string"/>, <see cref="bool"/> or <c>null</c>; use <see cref="GetDouble"/> for numeric fields.
/// </summary>
public sealed record InfluxSeries(int StatementId, string Name, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Columns, List<object?[]> Values)
{
    /// <summary>Index of <paramref name="column"/>; throws with the available names when it is missing.</summary>
    public int ColumnIndex(string column)
    {
        for (var i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        throw new KeyNotFoundException($"Series '{Name}' has no column '{column}'; it has: {string.Join(", ", Columns)}.");
    }

    /// <summary>A numeric cell as double (null stays null).</summary>
    public double? GetDouble(int row, string column) => Values[row][ColumnIndex(column)] switch
    {
        null => null,
        long l => l,
        double d => d,
        var other => throw new InvalidCastException($"Column '{column}' of '{Name}' holds {other.GetType().Name}, not a number."),
    };
}

/// <summary>InfluxDB answered a query with an error (bad InfluxQL, missing database, authorization).</summary>
public sealed class InfluxQueryException(string message) : Exception(message);
