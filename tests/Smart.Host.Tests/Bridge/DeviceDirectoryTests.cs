using Smart.Core;
using Smart.Host.Bridge;

namespace Smart.Host.Tests.Bridge;

public sealed class DeviceDirectoryTests
{
    [Fact]
    public void An_alert_is_a_test_only_when_every_device_it_names_is_under_maintenance_at_its_time()
    {
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        var directory = new DeviceDirectory();
        Device Fire(string id, DeviceMaintenance? m = null) => new(id, DeviceKind.Fire, "b", "g", "c", "s", Maintenance: m);
        directory.Upsert(Fire("tested", new DeviceMaintenance(t0.AddHours(1), "年检")));
        directory.Upsert(Fire("real"));

        Assert.True(directory.AllUnderMaintenance(["tested"], t0));
        Assert.False(directory.AllUnderMaintenance(["tested"], t0.AddHours(1))); // over at its end
        Assert.False(directory.AllUnderMaintenance(["tested", "real"], t0)); // a real alarm beside a test
        Assert.True(directory.AllUnderMaintenance(["tested", "tested"], t0));
        Assert.False(directory.AllUnderMaintenance(["unknown"], t0));
        Assert.False(directory.AllUnderMaintenance([], t0));
        // The directory follows the store: the period ended early is what counts from then on.
        directory.Upsert(Fire("tested", new DeviceMaintenance(t0.AddMinutes(5), "年检")));
        Assert.True(directory.AllUnderMaintenance(["tested"], t0.AddMinutes(4)));
        Assert.False(directory.AllUnderMaintenance(["tested"], t0.AddMinutes(5)));
    }
}
