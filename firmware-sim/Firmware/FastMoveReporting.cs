using FirmwareSim.Models;

namespace FirmwareSim.Firmware;

/// <summary>
/// Densified reporting (加密上报): while one field moves fast in one direction the device reports every local sample
/// instead of waiting for the report-on-change minimum spacing. Flood-monitoring manhole and sewer level gauges do
/// this: they keep a long reporting period on battery and switch to a short one while the level changes quickly,
/// back to normal when it settles. The move is judged on the device's own samples, noise-robustly: the mean of the
/// last <see cref="FastMove.Samples"/> samples against the mean of the <see cref="FastMove.Samples"/> before them.
/// </summary>
/// <param name="Field">The field watched, e.g. <c>water_level_cm</c>.</param>
/// <param name="Toward">+1 when the field rising is the fast move that matters, −1 when its falling is (the distance from
/// a manhole lid down to the water falls as the water rises).</param>
/// <param name="Samples">Samples in each of the two means.</param>
/// <param name="MinMove">How far the second mean must have moved past the first, in the field's unit.</param>
internal sealed record FastMove(string Field, double Toward, int Samples, double MinMove);

/// <summary>One device's state for its <see cref="FastMove"/> rule: the last 2 × <see cref="FastMove.Samples"/> samples.</summary>
internal sealed class FastMoveTracker(FastMove rule)
{
    private readonly double[] _ring = new double[2 * rule.Samples];
    private int _count, _head;

    /// <summary>Whether the device is in fast mode after the last sample.</summary>
    public bool Active { get; private set; }

    /// <summary>Takes a locally sampled reading; true while the watched field moves fast (report this sample).</summary>
    public bool Observe(Reading reading)
    {
        if (!reading.TryGetNumber(rule.Field, out var value)) return Active;
        _ring[_head] = value;
        _head = (_head + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
        if (_count < _ring.Length) return Active = false;
        double older = 0, newer = 0;
        for (var i = 0; i < rule.Samples; i++)
        {
            older += _ring[(_head + i) % _ring.Length];
            newer += _ring[(_head + rule.Samples + i) % _ring.Length];
        }
        return Active = rule.Toward * (newer - older) / rule.Samples >= rule.MinMove;
    }
}
