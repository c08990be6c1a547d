namespace Smart.Core;

/// <summary>街道.</summary>
public sealed record Street(string Id, string Name);

/// <summary>社区.</summary>
public sealed record Community(string Id, string StreetId, string Name);

/// <summary>网格. <paramref name="Polygon"/> is an optional ring of (lon, lat) for outdoor devices.</summary>
public sealed record Grid(string Id, string CommunityId, string Name, IReadOnlyList<GeoPoint>? Polygon = null);

/// <summary>楼栋.</summary>
public sealed record Building(string Id, string GridId, string Name, int Floors, GeoPoint Location);

public readonly record struct GeoPoint(double Lon, double Lat);

/// <summary>A registered device. Indoor devices hang off a building; outdoor ones (manholes) may carry a location.</summary>
public sealed record Device(string Id, DeviceKind Kind, string BuildingId, string GridId, string CommunityId, string StreetId, GeoPoint? Location = null, bool Retired = false,
    DeviceMaintenance? Maintenance = null);

/// <summary>维护/测试: a device under maintenance until <paramref name="Until"/> (a detector tested with smoke spray, a level
/// gauge re-mounted): the host does not make its alerts incidents meanwhile. <paramref name="Note"/> says why.</summary>
public sealed record DeviceMaintenance(DateTimeOffset Until, string? Note)
{
    public bool ActiveAt(DateTimeOffset at) => Until > at;
}

public enum Role
{
    /// <summary>运营中心值班员.</summary>
    Operator,
    /// <summary>网格员.</summary>
    GridWorker,
    /// <summary>社区工作人员.</summary>
    CommunityStaff,
    /// <summary>街道工作人员.</summary>
    StreetStaff,
    Admin,
}

/// <summary>
/// A person who uses the system; <paramref name="ScopeId"/> is the grid, community or street they cover (null for operators
/// and admins). A deactivated person (<paramref name="Active"/> false) cannot sign in and is on no duty roster.
/// </summary>
public sealed record Person(string Id, string Name, Role Role, string? ScopeId, string Username, bool Active = true, string? Phone = null);

/// <summary>值班表 entry: a daily shift in a grid, local time; <c>Start == End</c> means all day.</summary>
public sealed record DutyShift(string GridId, string PersonId, TimeOnly Start, TimeOnly End)
{
    public bool Covers(TimeOnly time) =>
        Start == End || (Start < End ? time >= Start && time < End : time >= Start || time < End);
}
