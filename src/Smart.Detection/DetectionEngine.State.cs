using Smart.Detection.State;

namespace Smart.Detection;

public sealed partial class DetectionEngine
{
    private const int StateFormatVersion = 6;
    private static ReadOnlySpan<byte> Magic => "SMDT"u8;

    /// <summary>Writes every device's bounded state (rules, gates, detectors) and the correlation state.</summary>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic); w.Write(StateFormatVersion);
        var states = _devices.Values.ToList();
        w.Write(states.Count);
        foreach (var s in states) lock (s) s.Write(w);
        _fire.Write(w);
    }

    /// <summary>Replaces the engine's state with one written by <see cref="SaveState"/>.</summary>
    /// <exception cref="InvalidDataException">The stream is not a detection state of this version.</exception>
    public void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (!r.ReadBytes(4).AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException("Not a Smart.Detection state file (bad magic); delete it to start with fresh detector state.");
        var version = r.ReadInt32();
        if (version is < 1 or > StateFormatVersion)
            throw new InvalidDataException($"Detection state version {version} is not supported (expected 1..{StateFormatVersion}); delete it to start fresh.");
        _devices.Clear();
        lock (_outages) _outages.Clear(); // outages name the device states being replaced (and are not saved)
        for (int i = 0, n = r.ReadInt32(); i < n; i++)
        {
            var s = DeviceState.Read(r, name => Options.Statistical.Resolution.GetValueOrDefault(name), version);
            _devices[s.DeviceId] = s;
        }
        _fire.Read(r);
    }
}
