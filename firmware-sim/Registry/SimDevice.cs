using System.Text.Json;
using Smart.Core;
using Smart.Core.Demo;

namespace FirmwareSim.Registry;

/// <summary>A device the simulator plays, with the MQTT password the broker expects for it.</summary>
public sealed record SimDevice(Device Device, string Password, int Floors = 18)
{
    public string Id => Device.Id;
    public DeviceKind Kind => Device.Kind;
    public string Topic(TopicChannel channel) => DeviceTopic.Format(Device.Kind, Device.Id, channel);
}

/// <summary>Loads the registry: the deterministic demo district by default, or a JSON file exported from the host.</summary>
public static class DeviceRegistry
{
    /// <summary>The demo district's devices with their derived passwords (the host writes the same password file).</summary>
    public static IReadOnlyList<SimDevice> Demo(string secret = DemoDistrict.DefaultSecret)
    {
        var district = DemoDistrict.Create(secret);
        var floors = district.Buildings.ToDictionary(b => b.Id, b => b.Floors);
        return district.Devices.Where(d => !d.Retired)
            .Select(d => new SimDevice(d, district.DevicePassword(d.Id), floors.GetValueOrDefault(d.BuildingId, 18)))
            .ToList();
    }

    /// <summary>
    /// A JSON array of <c>{"id","kind","building_id","grid_id","community_id","street_id","password"?,"floors"?}</c>.
    /// A missing password is derived from <paramref name="secret"/> like the host does.
    /// </summary>
    public static IReadOnlyList<SimDevice> FromFile(string path, string secret = DemoDistrict.DefaultSecret)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var list = new List<SimDevice>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            string Str(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var id = Str("id");
            if (!DeviceTopic.IsValidDeviceId(id)) throw new InvalidDataException($"{path}: device id '{id}' does not match [A-Za-z0-9_-]{{1,64}}");
            var device = new Device(id, DeviceKinds.Parse(Str("kind")), Str("building_id"), Str("grid_id"), Str("community_id"), Str("street_id"));
            var password = Str("password") is { Length: > 0 } p ? p : DemoDistrict.DerivePassword(secret, id);
            var floors = e.TryGetProperty("floors", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : 18;
            list.Add(new SimDevice(device, password, floors));
        }
        return list;
    }

    /// <summary>Writes devices in the format <see cref="FromFile"/> reads (with passwords: keep the file private).</summary>
    public static void WriteFile(string path, IEnumerable<SimDevice> devices)
    {
        var rows = devices.Select(d => new Dictionary<string, object>
        {
            ["id"] = d.Id, ["kind"] = d.Kind.Name(), ["building_id"] = d.Device.BuildingId, ["grid_id"] = d.Device.GridId,
            ["community_id"] = d.Device.CommunityId, ["street_id"] = d.Device.StreetId, ["password"] = d.Password, ["floors"] = d.Floors,
        });
        File.WriteAllText(path, JsonSerializer.Serialize(rows));
    }
}
