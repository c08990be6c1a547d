using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Host.Bridge;
using Smart.Mqtt;
using Smart.Testing;

namespace Smart.Host.Tests.Infrastructure;

/// <summary>
/// The host with nothing external configured: it spawns its own mosquitto and influxd (DESIGN §12), with a login and
/// an ACL per device generated from the registry.
/// </summary>
public sealed class EmbeddedBrokerTests : IAsyncLifetime
{
    private readonly EmbeddedHost _host = new();
    private readonly DemoDistrict _district = DemoDistrict.Create();

    public Task InitializeAsync() => _host.StartAsync();

    private MqttClient DeviceClient(Device device, string password) => _host.DeviceClient(device.Id, password);

    [Fact]
    public async Task A_device_publishes_as_itself_and_is_refused_as_another_device()
    {
        var me = _district.Devices.First(d => d.Kind == DeviceKind.Fire);
        var other = _district.Devices.Last(d => d.Kind == DeviceKind.Fire);
        await using var client = DeviceClient(me, _district.DevicePassword(me.Id));
        await client.ConnectAsync();
        var payload = Encoding.UTF8.GetBytes("""{"smoke_pct_per_m":0.01,"temp_c":21,"co_ppm":0}""");

        await client.PublishAsync(DeviceTopic.Format(me.Kind, me.Id, TopicChannel.Telemetry), payload, MqttQos.AtLeastOnce);
        var denied = await Assert.ThrowsAsync<MqttPublishException>(() =>
            client.PublishAsync(DeviceTopic.Format(other.Kind, other.Id, TopicChannel.Telemetry), payload, MqttQos.AtLeastOnce));
        Assert.Equal(MqttReasonCode.NotAuthorized, denied.ReasonCode);
    }

    [Fact]
    public async Task A_wrong_device_password_is_refused()
    {
        var me = _district.Devices.First(d => d.Kind == DeviceKind.Manhole);
        await using var client = DeviceClient(me, "not-the-password");
        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync());
        Assert.Contains(refused.ReasonCode, new[] { MqttReasonCode.BadUserNameOrPassword, MqttReasonCode.NotAuthorized });
    }

    [Fact]
    public async Task A_registered_device_gets_its_own_login_and_loses_it_when_retired()
    {
        using var login = await _host.Http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "admin123" });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        _host.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var created = await _host.Http.PostAsJsonAsync("/api/devices", new { id = "fire-new-1", kind = "fire", buildingId = "g3-b2" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var mqtt = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mqtt");
        var device = new Device("fire-new-1", DeviceKind.Fire, "g3-b2", "g3", "c1", "st1");
        var neighbour = _district.Devices.First(d => d.Kind == DeviceKind.Fire);
        await using var bystander = DeviceClient(neighbour, _district.DevicePassword(neighbour.Id));
        await bystander.ConnectAsync();
        // The 201 comes once the broker admits the login: the device's first connect succeeds.
        await using var client = DeviceClient(device, mqtt.GetProperty("password").GetString()!);
        await client.ConnectAsync();
        await client.PublishAsync(mqtt.GetProperty("telemetryTopic").GetString()!, Encoding.UTF8.GetBytes("""{"smoke_pct_per_m":0.01,"temp_c":21,"co_ppm":0}"""), MqttQos.AtLeastOnce);

        using var retired = await _host.Http.DeleteAsync("/api/devices/fire-new-1");
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        await Eventually.UntilAsync(() => !client.IsConnected, TimeSpan.FromSeconds(10), "the broker to drop the retired device's open connection");
        Assert.True(bystander.IsConnected, "the reload drops only the logins that are gone");
        await Eventually.UntilAsync(async () =>
        {
            await using var again = DeviceClient(device, mqtt.GetProperty("password").GetString()!);
            try { await again.ConnectAsync(); return false; }
            catch (MqttConnectException) { return true; }
        }, TimeSpan.FromSeconds(10), "the broker to refuse the retired device");
    }

    [Fact]
    public async Task Registering_needs_an_operator_or_admin()
    {
        using var login = await _host.Http.PostAsJsonAsync("/api/auth/token", new { username = "worker1a", password = "worker1a123" });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/devices") { Content = JsonContent.Create(new { id = "x1", kind = "fire", buildingId = "g1-b1" }) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
