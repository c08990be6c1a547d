using System.Collections.Concurrent;
using System.Text;

namespace Smart.Host.Bridge;

/// <summary>A message the bridge refused, kept for operators to inspect (payload cut to 1 KiB).</summary>
public sealed record DeadLetter(long Id, DateTimeOffset ReceivedAt, string Topic, string Reason, string Detail, string PayloadPreview, int PayloadBytes);

/// <summary>Bounded store of rejected messages plus a counter per reason (DESIGN §5). Oldest entries go first.</summary>
public sealed class DeadLetterStore(int capacity = 1000)
{
    private const int PreviewBytes = 1024;
    private readonly ConcurrentQueue<DeadLetter> _items = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private long _nextId;

    public IReadOnlyDictionary<string, long> CountsByReason => _counts;

    public long Total => _counts.Values.Sum();

    public void Add(string topic, ReadOnlySpan<byte> payload, Rejection rejection, DateTimeOffset receivedAt)
    {
        _counts.AddOrUpdate(rejection.Reason, 1, (_, n) => n + 1);
        var preview = Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, PreviewBytes)]);
        _items.Enqueue(new DeadLetter(Interlocked.Increment(ref _nextId), receivedAt, topic, rejection.Reason, rejection.Detail, preview, payload.Length));
        while (_items.Count > capacity) _items.TryDequeue(out _);
    }

    /// <summary>Newest first, optionally one reason only.</summary>
    public IReadOnlyList<DeadLetter> List(string? reason, int limit) =>
        _items.Reverse().Where(d => reason is null || d.Reason == reason).Take(limit).ToList();
}
