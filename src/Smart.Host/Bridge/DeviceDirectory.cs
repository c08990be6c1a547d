using System.Collections.Concurrent;
using Smart.Core;

namespace Smart.Host.Bridge;

/// <summary>The bridge's in-memory view of the device registry: id → device with its place in the hierarchy.</summary>
public sealed class DeviceDirectory
{
    private readonly ConcurrentDictionary<string, Device> _devices = new(StringComparer.Ordinal);

    public int Count => _devices.Count;

    public void Upsert(Device device) => _devices[device.Id] = device;

    public void Remove(string deviceId) => _devices.TryRemove(deviceId, out _);

    public bool TryGet(string deviceId, out Device device) => _devices.TryGetValue(deviceId, out device!);

    public IEnumerable<Device> All => _devices.Values;

    /// <summary>Whether every one of <paramref name="deviceIds"/> (at least one) is a device under maintenance (维护) at
    /// <paramref name="at"/>: an alert naming one that is not, e.g. a fire confirmed by a tested detector and a real one, is no test.</summary>
    public bool AllUnderMaintenance(IEnumerable<string> deviceIds, DateTimeOffset at)
    {
        var any = false;
        foreach (var id in deviceIds)
        {
            if (!TryGet(id, out var d) || d.Maintenance?.ActiveAt(at) != true) return false;
            any = true;
        }
        return any;
    }
}
