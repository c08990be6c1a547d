using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smart.Core.Incidents;

/// <summary>The JSON shape of incidents and events on the wire and in the outbox (camelCase, enums as DESIGN §8 names).</summary>
public static class IncidentJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
