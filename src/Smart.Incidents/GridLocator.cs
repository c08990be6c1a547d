using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Incidents;

/// <summary>Resolves a point (lon, lat) to the grid whose polygon covers it (outdoor devices, 随手拍 with GPS).</summary>
public sealed class GridLocator
{
    public sealed record Area(IncidentLocation Grid, string? PolygonJson);

    private static readonly GeometryFactory Factory = new();
    private readonly List<(IncidentLocation Grid, IPreparedGeometry Shape)> _areas;

    private GridLocator(List<(IncidentLocation, IPreparedGeometry)> areas) => _areas = areas;

    public static GridLocator Create(IEnumerable<Area> areas) => new(areas
        .Where(a => a.PolygonJson is not null)
        .Select(a => (a.Grid, PreparedGeometryFactory.Prepare(Polygon(JsonSerializer.Deserialize<GeoPoint[]>(a.PolygonJson!, IncidentJson.Options)!))))
        .ToList());

    /// <summary>The first grid (in id order) whose polygon covers the point, boundary included; null outside all.</summary>
    public IncidentLocation? Find(GeoPoint point)
    {
        var p = Factory.CreatePoint(new Coordinate(point.Lon, point.Lat));
        return _areas.Where(a => a.Shape.Covers(p)).Select(a => a.Grid).OrderBy(g => g.GridId, StringComparer.Ordinal).FirstOrDefault();
    }

    private static Polygon Polygon(IReadOnlyList<GeoPoint> ring)
    {
        if (ring.Count < 3) throw new InvalidOperationException("A grid polygon needs at least 3 points.");
        var coordinates = ring.Select(p => new Coordinate(p.Lon, p.Lat)).ToList();
        if (!coordinates[0].Equals2D(coordinates[^1])) coordinates.Add(coordinates[0]);
        return Factory.CreatePolygon(coordinates.ToArray());
    }
}
