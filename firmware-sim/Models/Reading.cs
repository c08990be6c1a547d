using System.Text.Json;
using Smart.Core;

namespace FirmwareSim.Models;

/// <summary>One telemetry sample or event as a device builds it: ordered named fields, serialised by <see cref="Engine.PayloadWriter"/>.</summary>
internal sealed class Reading(TopicChannel channel, int port = 0)
{
    private readonly List<Field> _fields = [];

    public TopicChannel Channel { get; } = channel;
    /// <summary>Charger port (1-based), 0 for single-channel devices.</summary>
    public int Port { get; } = port;
    public IReadOnlyList<Field> Fields => _fields;

    public Reading Number(string name, double value, int decimals = 2) => Put(new Field(name, FieldType.Number, value, null, decimals));
    public Reading Bool(string name, bool value) => Put(new Field(name, FieldType.Bool, value ? 1 : 0, null, 0));
    public Reading Text(string name, string value) => Put(new Field(name, FieldType.Text, 0, value, 0));
    /// <summary>A field whose value is already JSON (arrays such as a camera track).</summary>
    public Reading Json(string name, string json) => Put(new Field(name, FieldType.Json, 0, json, 0));

    public bool TryGetNumber(string name, out double value)
    {
        var i = IndexOf(name);
        value = i >= 0 ? _fields[i].Value : 0;
        return i >= 0 && _fields[i].Type is FieldType.Number or FieldType.Bool;
    }

    public string? GetText(string name)
    {
        var i = IndexOf(name);
        return i >= 0 ? _fields[i].Text : null;
    }

    /// <summary>Replaces a value keeping the field's type and position; adds a number field when absent.</summary>
    public void SetNumber(string name, double value)
    {
        var i = IndexOf(name);
        if (i < 0) Number(name, value);
        else _fields[i] = _fields[i] with { Value = value };
    }

    /// <summary>Sets a field from a scenario's JSON value (number, bool or string).</summary>
    public void SetFromJson(string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number: SetNumber(name, value.GetDouble()); break;
            case JsonValueKind.True or JsonValueKind.False: Put(new Field(name, FieldType.Bool, value.GetBoolean() ? 1 : 0, null, 0)); break;
            case JsonValueKind.String: Put(new Field(name, FieldType.Text, 0, value.GetString(), 0)); break;
            default: Put(new Field(name, FieldType.Json, 0, value.GetRawText(), 0)); break;
        }
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _fields.Count; i++)
            if (_fields[i].Name == name) return i;
        return -1;
    }

    private Reading Put(Field field)
    {
        var i = IndexOf(field.Name);
        if (i >= 0) _fields[i] = field;
        else _fields.Add(field);
        return this;
    }
}

internal enum FieldType { Number, Bool, Text, Json }

internal readonly record struct Field(string Name, FieldType Type, double Value, string? Text, int Decimals);
