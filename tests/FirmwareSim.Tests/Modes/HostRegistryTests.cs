using FirmwareSim.Registry;
using Smart.Core;
using Smart.Core.Demo;

namespace FirmwareSim.Tests.Modes;

public class HostRegistryTests
{
    [Fact]
    public void Device_page_from_the_host_api_becomes_devices_with_derived_passwords()
    {
        // The shape of Smart.Host's DevicesApi.DevicePageDto with ASP.NET's web (camelCase) JSON defaults.
        const string page = """
            {"items":[
              {"id":"fire-g1-b1-1","kind":"fire","buildingId":"g1-b1","gridId":"g1","communityId":"c1","streetId":"st1","lon":null,"lat":null,"retired":false,"online":true,"lastSeenAt":null},
              {"id":"mh-g1-1","kind":"manhole","buildingId":"g1-b5","gridId":"g1","communityId":"c1","streetId":"st1","lon":120.151,"lat":30.2505,"retired":false,"online":false,"lastSeenAt":null},
              {"id":"chg-old","kind":"charger","buildingId":"g1-b1","gridId":"g1","communityId":"c1","streetId":"st1","lon":null,"lat":null,"retired":true,"online":false,"lastSeenAt":null}
            ],"total":3}
            """;
        var devices = HostRegistry.FromApiPage(page, "district-secret");
        Assert.Equal(["fire-g1-b1-1", "mh-g1-1"], devices.Select(d => d.Id)); // retired devices stay silent
        Assert.Equal(DeviceKind.Manhole, devices[1].Kind);
        Assert.Equal(new GeoPoint(120.151, 30.2505), devices[1].Device.Location);
        Assert.Equal(DemoDistrict.DerivePassword("district-secret", "mh-g1-1"), devices[1].Password);
        Assert.Equal("g1-b1", devices[0].Device.BuildingId);
    }
}
