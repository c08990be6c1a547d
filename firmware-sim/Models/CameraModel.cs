using System.Globalization;
using System.Text;
using FirmwareSim.Firmware;
using Smart.Core;

namespace FirmwareSim.Models;

/// <summary>
/// 高空抛物: a camera looking up a facade. Sends a heartbeat (fps, lens state) and, on its own, rare low-confidence
/// detections (birds, leaves) that a good pipeline must not turn into incidents.
/// </summary>
internal sealed class CameraModel(Random rng, int floors, string deviceId) : IDeviceModel
{
    /// <summary>About one spurious detection per camera per 6 hours.</summary>
    private const double SpuriousPerHour = 1 / 6.0;
    private int _clip;
    private ReportPolicy? _reporting;
    private long _lastMs = -1;

    public DeviceKind Kind => DeviceKind.Camera;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>The heartbeat is the only telemetry; detections are events and go out at once.</summary>
    public ReportPolicy Reporting => _reporting ??= ReportPolicy.PeriodicOnly(Interval);
    public int Floors => floors;

    public void Sample(long simMs, List<Reading> output)
    {
        var dtH = _lastMs < 0 ? 0 : (simMs - _lastMs) / 3_600_000.0;
        _lastMs = simMs;
        output.Add(new Reading(TopicChannel.Telemetry)
            .Number("fps", rng.NextDouble() < 0.97 ? 25 : 24, 0)
            .Bool("lens_blocked", false));
        if (rng.NextDouble() < SpuriousPerHour * dtH)
            output.Add(FallingObject(simMs, 0.15 + rng.NextDouble() * 0.3, 1 + rng.Next(floors), rng));
    }

    public void Command(string cmd, int port, long simMs, List<Reading> output) { }

    /// <summary>
    /// A <c>falling_object</c> event: a ballistic track in image coordinates (y grows downward, 1080 rows for the facade)
    /// sampled every 40 ms (25 fps) from the floor of release to the ground, and the floor estimate with its uncertainty.
    /// </summary>
    public Reading FallingObject(long simMs, double confidence, int floor, Random r)
    {
        const double FloorHeightM = 2.9, G = 9.81;
        var heightM = floor * FloorHeightM;
        var pxPerM = 1080 / (floors * FloorHeightM);
        var x = 200 + r.NextDouble() * 1500;
        var vx = (r.NextDouble() - 0.5) * 1.5;
        var track = new StringBuilder("[");
        var fallMs = (int)(Math.Sqrt(2 * heightM / G) * 1000);
        for (var t = 0; t <= fallMs; t += 40)
        {
            var s = t / 1000.0;
            var y = 1080 - (heightM - 0.5 * G * s * s) * pxPerM;
            if (t > 0) track.Append(',');
            track.Append(CultureInfo.InvariantCulture, $"[{x + vx * s * pxPerM:0},{y:0},{t}]");
        }
        track.Append(']');
        var spread = confidence > 0.8 ? 1 : 2;
        return new Reading(TopicChannel.Event)
            .Text("type", "falling_object")
            .Number("confidence", Math.Round(confidence, 2), 2)
            .Number("floor_est", floor, 0)
            .Number("floor_min", Math.Max(1, floor - spread), 0)
            .Number("floor_max", Math.Min(floors, floor + spread), 0)
            .Json("track", track.ToString())
            .Text("clip_id", $"{deviceId}-{simMs}-{++_clip}")
            .Text("facade", "south");
    }
}
