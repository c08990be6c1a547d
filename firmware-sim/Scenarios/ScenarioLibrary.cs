using System.Text.Json;
using Smart.Core;

namespace FirmwareSim.Scenarios;

/// <summary>The scenario files of a directory (by default <c>scenarios/</c> next to the executable), by name.</summary>
public sealed class ScenarioLibrary
{
    private readonly Dictionary<string, ScenarioDefinition> _byName;

    private ScenarioLibrary(Dictionary<string, ScenarioDefinition> byName) => _byName = byName;

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "scenarios");

    public IReadOnlyCollection<string> Names => _byName.Keys;
    public IEnumerable<ScenarioDefinition> All => _byName.Values.OrderBy(s => s.Name, StringComparer.Ordinal);

    public ScenarioDefinition this[string name] => _byName.TryGetValue(name, out var s) ? s
        : throw new ArgumentException($"Unknown scenario '{name}'. Available: {string.Join(", ", _byName.Keys.Order())}");

    public static ScenarioLibrary Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Scenario directory '{directory}' does not exist (scenarios/*.json are copied next to firmware-sim).");
        var byName = new Dictionary<string, ScenarioDefinition>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var s = Parse(File.ReadAllText(file), file);
            byName[s.Name] = s;
        }
        return new ScenarioLibrary(byName);
    }

    public static ScenarioDefinition Parse(string json, string source)
    {
        ScenarioDefinition s;
        try
        {
            s = JsonSerializer.Deserialize(json, ScenarioJsonContext.Default.ScenarioDefinition)
                ?? throw new InvalidDataException("empty document");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Scenario file {source} is not valid: {e.Message}", e);
        }
        Validate(s, source);
        return s;
    }

    private static void Validate(ScenarioDefinition s, string source)
    {
        void Fail(string why) => throw new InvalidDataException($"Scenario file {source}: {why}");
        if (string.IsNullOrWhiteSpace(s.Name)) Fail("name is required");
        if (!DeviceKinds.TryParse(s.Target.Kind, out _)) Fail($"target.kind '{s.Target.Kind}' is not fire, manhole, camera or charger");
        if (s.Target.Devices < 1) Fail("target.devices must be at least 1");
        if (s.DurationS <= 0) Fail("duration_s must be positive");
        if (s.StaggerS * (s.Target.Devices - 1) >= s.DurationS) Fail("stagger_s × (devices − 1) must be shorter than duration_s");
        if (s.Expect.Count == 0) Fail("expect must list at least one incident type (or \"none\")");
        foreach (var e in s.Effects)
            if (e.Op is not ("ramp_to" or "exp_to" or "add" or "set" or "hold")) Fail($"effect op '{e.Op}' is unknown");
        foreach (var x in s.Expect)
            if (!GroundTruth.IncidentTypes.Contains(x.Type)) Fail($"expected type '{x.Type}' is not one of {string.Join(' ', GroundTruth.IncidentTypes)}");
    }
}
