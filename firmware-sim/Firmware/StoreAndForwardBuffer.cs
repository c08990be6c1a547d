namespace FirmwareSim.Firmware;

/// <summary>
/// The device's local message store while it cannot reach the broker: bounded (a microcontroller has a few hundred KB
/// of flash for it), first in first out, and when full the oldest reading is dropped — a recent reading is worth more
/// to the operations centre than an old one. Thread-safe: the sampler adds, the uplink peeks and removes.
/// </summary>
internal sealed class StoreAndForwardBuffer<T>(int capacity)
{
    private readonly LinkedList<T> _items = new();
    private long _dropped;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Count
    {
        get { lock (_items) return _items.Count; }
    }

    /// <summary>Adds at the tail; returns false when the oldest item had to be dropped to make room.</summary>
    public bool Add(T item)
    {
        lock (_items)
        {
            var kept = true;
            if (_items.Count >= Capacity)
            {
                _items.RemoveFirst();
                Interlocked.Increment(ref _dropped);
                kept = false;
            }
            _items.AddLast(item);
            return kept;
        }
    }

    public bool TryPeek(out T item)
    {
        lock (_items)
        {
            if (_items.First is { } first) { item = first.Value; return true; }
            item = default!;
            return false;
        }
    }

    /// <summary>Up to <paramref name="max"/> items from the head, oldest first, without removing them.</summary>
    public List<T> PeekMany(int max)
    {
        lock (_items)
        {
            var list = new List<T>(Math.Min(max, _items.Count));
            for (var node = _items.First; node is not null && list.Count < max; node = node.Next) list.Add(node.Value);
            return list;
        }
    }

    /// <summary>Removes the head once it is delivered, if it is still <paramref name="item"/> (it may have been dropped meanwhile).</summary>
    public void Remove(T item)
    {
        lock (_items)
        {
            if (_items.First is { } first && EqualityComparer<T>.Default.Equals(first.Value, item)) _items.RemoveFirst();
        }
    }
}
