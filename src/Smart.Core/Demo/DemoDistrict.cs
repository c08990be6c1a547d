using System.Security.Cryptography;
using System.Text;

namespace Smart.Core.Demo;

/// <summary>
/// The demo district (DESIGN §12): 1 street, 3 communities, 9 grids, 45 buildings, 423 devices, people and a duty roster.
/// Deterministic, so the host, the simulator and the tests agree on ids and credentials without sharing files.
/// </summary>
public sealed class DemoDistrict
{
    public const string DefaultSecret = "smart-demo-district";

    public required IReadOnlyList<Street> Streets { get; init; }
    public required IReadOnlyList<Community> Communities { get; init; }
    public required IReadOnlyList<Grid> Grids { get; init; }
    public required IReadOnlyList<Building> Buildings { get; init; }
    public required IReadOnlyList<Device> Devices { get; init; }
    public required IReadOnlyList<Person> People { get; init; }
    public required IReadOnlyList<DutyShift> Roster { get; init; }
    /// <summary>Demo passwords by username (people) — demo mode only.</summary>
    public required IReadOnlyDictionary<string, string> Logins { get; init; }

    private readonly string _secret;
    private DemoDistrict(string secret) => _secret = secret;

    /// <summary>Each device's own MQTT password, derived from the district secret (HMAC-SHA256 of the id).</summary>
    public string DevicePassword(string deviceId) => DerivePassword(_secret, deviceId);

    public static string DerivePassword(string secret, string deviceId)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(deviceId));
        return Convert.ToBase64String(mac, 0, 15).Replace('+', '-').Replace('/', '_');
    }

    private static readonly string[] CommunityNames = ["梧桐社区", "银杏社区", "香樟社区"];

    public static DemoDistrict Create(string secret = DefaultSecret)
    {
        var street = new Street("st1", "望江街道");
        List<Community> communities = [];
        List<Grid> grids = [];
        List<Building> buildings = [];
        List<Device> devices = [];
        List<Person> people = [new("p-op1", "值班员 王敏", Role.Operator, null, "operator"), new("p-admin", "管理员", Role.Admin, null, "admin"),
            new("p-st1", "街道 陈刚", Role.StreetStaff, street.Id, "street")];
        List<DutyShift> roster = [];
        const double baseLon = 120.15, baseLat = 30.25;
        for (var c = 0; c < 3; c++)
        {
            var community = new Community($"c{c + 1}", street.Id, CommunityNames[c]);
            communities.Add(community);
            people.Add(new($"p-c{c + 1}", $"{community.Name} 工作人员", Role.CommunityStaff, community.Id, $"community{c + 1}"));
            for (var g = 0; g < 3; g++)
            {
                var gi = c * 3 + g;
                var gridId = $"g{gi + 1}";
                var (lon0, lat0) = (baseLon + gi * 0.004, baseLat);
                GeoPoint[] polygon = [new(lon0, lat0), new(lon0 + 0.004, lat0), new(lon0 + 0.004, lat0 + 0.004), new(lon0, lat0 + 0.004)];
                grids.Add(new Grid(gridId, community.Id, $"{community.Name[..2]}第{g + 1}网格", polygon));
                for (var w = 1; w <= 2; w++)
                {
                    var person = new Person($"p-{gridId}-w{w}", $"网格员 {gridId.ToUpperInvariant()}-{w}", Role.GridWorker, gridId, $"worker{gi + 1}{(char)('a' + w - 1)}");
                    people.Add(person);
                    roster.Add(new DutyShift(gridId, person.Id, TimeOnly.MinValue, TimeOnly.MinValue));
                }
                for (var b = 0; b < 5; b++)
                {
                    var building = new Building($"{gridId}-b{b + 1}", gridId, $"{gi + 1}区{b + 1}栋", 12 + 3 * b, new(lon0 + 0.0007 * (b + 1), lat0 + 0.002));
                    buildings.Add(building);
                    for (var f = 1; f <= 6; f++) devices.Add(Dev($"fire-{building.Id}-{f}", DeviceKind.Fire, building, community, street));
                    devices.Add(Dev($"cam-{building.Id}", DeviceKind.Camera, building, community, street));
                    for (var s = 1; s <= 2; s++) devices.Add(Dev($"chg-{building.Id}-{s}", DeviceKind.Charger, building, community, street));
                }
                for (var m = 1; m <= 2; m++)
                {
                    var near = buildings[^m];
                    devices.Add(Dev($"mh-{gridId}-{m}", DeviceKind.Manhole, near, community, street) with { Location = new(lon0 + 0.001 * m, lat0 + 0.0005) });
                }
            }
        }
        var logins = people.ToDictionary(p => p.Username, p => p.Username + "123");
        return new DemoDistrict(secret)
        {
            Streets = [street], Communities = communities, Grids = grids, Buildings = buildings,
            Devices = devices, People = people, Roster = roster, Logins = logins,
        };
    }

    private static Device Dev(string id, DeviceKind kind, Building b, Community c, Street s) =>
        new(id, kind, b.Id, b.GridId, c.Id, s.Id);
}
