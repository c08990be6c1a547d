using Smart.Core;
using static Smart.Detection.Rules.FireRules;
using Smart.Core.Incidents;

namespace Smart.Detection.Rules;

/// <summary>Layer 1 for discrete events (DESIGN §5 events column).</summary>
internal static class EventRules
{
    public static RuleHit? Evaluate(DetectionOptions o, EventInput e) => (e.Kind, e.Type) switch
    {
        (DeviceKind.Fire, "alarm_button") => RuleHit.Of(IncidentTypes.FireAlarmButton, "alarm_button", 1, "手动报警按钮被按下 / manual call point pressed"),
        (DeviceKind.Manhole, "lid_opened") => RuleHit.Of(IncidentTypes.ManholeOpen, "lid_open", 1, "井盖被打开 / lid opened"),
        (DeviceKind.Camera, "falling_object") => FallingObject(o.Camera, e),
        (_, "tamper") => new RuleHit(IncidentTypes.SensorAnomaly, Severity.P3, "tamper", 1, "设备被拆动 / device tampered with"),
        _ => null,
    };

    private static RuleHit? FallingObject(CameraRuleOptions o, EventInput e)
    {
        if (!e.TryGet("confidence", out var confidence) || confidence < o.FallingObjectConfidence) return null;
        var span = FloorSpan(e);
        if (span is null || span <= o.FallingObjectMinFloorSpan) return null;
        return RuleHit.Of(IncidentTypes.CameraFallingObject, "floor_span", span.Value,
            F($"高空抛物：置信度 {confidence:0.00}，跨越 {span:0.#} 层 / falling object, confidence {confidence:0.00}, fell {span:0.#} floors"));
    }

    /// <summary>How many floors the object fell: <c>floor_span</c> if the camera gives it, else from the release floor
    /// down to the ground. <c>floor_min</c>/<c>floor_max</c> are the uncertainty band of the release floor
    /// <c>floor_est</c> (DESIGN §5, firmware-sim CameraModel), so the conservative release floor is <c>floor_min</c>.</summary>
    private static double? FloorSpan(EventInput e)
    {
        if (e.TryGet("floor_span", out var span)) return span;
        if (e.TryGet("floor_min", out var min)) return min - 1;
        return e.TryGet("floor_est", out var est) ? est - 1 : null;
    }
}
