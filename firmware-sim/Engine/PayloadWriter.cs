using System.Buffers;
using System.Text.Json;
using FirmwareSim.Models;

namespace FirmwareSim.Engine;

/// <summary>Serialises a <see cref="Reading"/> as the DESIGN §5 payload: <c>ts</c>, <c>seq</c>, then the fields.</summary>
internal static class PayloadWriter
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    public static byte[] Write(Reading reading, long ts, long? seq) => Write(reading.Fields, ts, seq);

    public static byte[] Write(IReadOnlyList<Field> fields, long ts, long? seq)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("ts"u8, ts);
            if (seq is { } s) w.WriteNumber("seq"u8, s);
            foreach (var f in fields) WriteField(w, f);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteField(Utf8JsonWriter w, Field f)
    {
        switch (f.Type)
        {
            case FieldType.Number when f.Decimals == 0: w.WriteNumber(f.Name, (long)Math.Round(f.Value)); break;
            case FieldType.Number: w.WriteNumber(f.Name, Math.Round(f.Value, f.Decimals)); break;
            case FieldType.Bool: w.WriteBoolean(f.Name, f.Value != 0); break;
            case FieldType.Text: w.WriteString(f.Name, f.Text); break;
            case FieldType.Json: w.WritePropertyName(f.Name); w.WriteRawValue(f.Text!, skipInputValidation: true); break;
        }
    }
}
