namespace Smart.Host.Bridge;

/// <summary>
/// Per-device <c>seq</c> bookkeeping (DESIGN §5): duplicates (a redelivery or a device resending), gaps (lost at the
/// device or on the way), reorders, and reboots (the counter starts again from a small number). <see cref="Observe"/>
/// is for the bridge's receive loop only (one hash lookup per message, no locking); the counters may be read anywhere.
/// </summary>
public sealed class SeqTracker
{
    /// <summary>A drop back to below this after a much higher seq is a device reboot, not a reorder.</summary>
    private const long RebootThreshold = 16;
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);
    private long _duplicates, _gaps, _reorders, _reboots;

    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Gaps => Interlocked.Read(ref _gaps);
    public long Reorders => Interlocked.Read(ref _reorders);
    public long Reboots => Interlocked.Read(ref _reboots);

    /// <summary>Records a message's seq; true when it moves the device's sequence on (first, next, after a gap or a
    /// reboot), false for a repeat or a reorder — a reading that may have been seen before.</summary>
    public bool Observe(string deviceId, long seq)
    {
        ref var last = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_last, deviceId, out var seen);
        if (!seen)
        {
            last = seq;
            return true;
        }
        if (seq == last)
        {
            Interlocked.Increment(ref _duplicates);
            return false;
        }
        if (seq < last)
        {
            if (seq >= RebootThreshold || last - seq <= RebootThreshold)
            {
                Interlocked.Increment(ref _reorders);
                return false;
            }
            Interlocked.Increment(ref _reboots);
        }
        else if (seq > last + 1)
        {
            Interlocked.Add(ref _gaps, seq - last - 1);
        }
        last = seq;
        return true;
    }
}
