using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Smart.Influx.Query;

/// <summary>Serialises bound parameters to the <c>params=</c> JSON object InfluxDB expects.</summary>
internal static class QueryParameters
{
    public static string ToJson(IReadOnlyDictionary<string, object?> parameters)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var (name, value) in parameters)
            {
                w.WritePropertyName(name);
                WriteValue(w, name, value);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }

    private static void WriteValue(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int or long or short or byte or uint: w.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): w.WriteNumberValue(f); break;
            case decimal m: w.WriteNumberValue(m); break;
            // InfluxQL compares time with RFC3339 strings: time >= $from
            case DateTimeOffset t: w.WriteStringValue(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)); break;
            case DateTime t: w.WriteStringValue(t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)); break;
            default: throw new ArgumentException($"Query parameter '{name}' has type {value.GetType().Name}; use string, bool, an integer, a finite double, DateTimeOffset.");
        }
    }
}
