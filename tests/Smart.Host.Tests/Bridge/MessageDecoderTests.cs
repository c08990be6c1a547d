using System.Text;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Host.Bridge;

namespace Smart.Host.Tests.Bridge;

public sealed class MessageDecoderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
    private readonly MessageDecoder _decoder;
    private readonly Device _fire, _charger;

    public MessageDecoderTests()
    {
        var directory = new DeviceDirectory();
        foreach (var d in DemoDistrict.Create().Devices) directory.Upsert(d);
        _decoder = new MessageDecoder(directory);
        _fire = directory.All.First(d => d.Kind == DeviceKind.Fire);
        _charger = directory.All.First(d => d.Kind == DeviceKind.Charger);
    }

    private (bool Ok, DecodedMessage? Message, Rejection Rejection) Decode(string topic, string json)
    {
        var ok = _decoder.TryDecode(topic, Encoding.UTF8.GetBytes(json), Now, out var message, out var rejection);
        return (ok, message, rejection);
    }

    private string Telemetry(Device d) => DeviceTopic.Format(d.Kind, d.Id, TopicChannel.Telemetry);

    [Fact]
    public void Valid_fire_telemetry_is_enriched_with_its_place_and_keeps_ts_and_seq()
    {
        var (ok, m, _) = Decode(Telemetry(_fire), $$"""{"ts":{{Now.ToUnixTimeMilliseconds() - 5}},"seq":7,"smoke_pct_per_m":0.4,"temp_c":22.5,"co_ppm":1,"alarm":false,"battery_pct":90}""");
        Assert.True(ok);
        Assert.Equal(_fire.GridId, m!.Device.GridId);
        Assert.Equal(Now.ToUnixTimeMilliseconds() - 5, m.TimestampMs);
        Assert.Equal(7, m.Seq);
        Assert.Equal(["smoke_pct_per_m", "temp_c", "co_ppm", "alarm", "battery_pct"], m.Fields.Select(f => f.Name));
        Assert.True(m.Fields.Single(f => f.Name == "alarm").Type == FieldType.Boolean);
    }

    [Fact]
    public void Missing_ts_uses_the_receive_time_and_unknown_fields_are_not_stored()
    {
        var (ok, m, _) = Decode(Telemetry(_fire), """{"smoke_pct_per_m":0.1,"temp_c":20,"co_ppm":0,"colour":"red"}""");
        Assert.True(ok);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), m!.TimestampMs);
        Assert.DoesNotContain(m.Fields, f => f.Name == "colour");
    }

    [Fact]
    public void Charger_port_becomes_a_tag_and_state_stays_text()
    {
        var (ok, m, _) = Decode(Telemetry(_charger), """{"port":3,"state":"charging","voltage_v":230,"current_a":2.1,"power_w":480,"energy_wh":100,"temp_c":31,"leak_ma":0.5}""");
        Assert.True(ok);
        Assert.Equal(3, m!.Port);
        Assert.Equal("charging", m.Fields.Single(f => f.Name == "state").Text);
    }

    [Theory]
    [InlineData("smart/v1/fire", "{}", RejectReasons.BadTopic)]
    [InlineData("smart/v1/fire/nobody-here/telemetry", """{"smoke_pct_per_m":0,"temp_c":20,"co_ppm":0}""", RejectReasons.UnknownDevice)]
    [InlineData("smart/v1/fire/{fire}/telemetry", "{not json", RejectReasons.BadJson)]
    [InlineData("smart/v1/fire/{fire}/telemetry", "[1,2]", RejectReasons.BadJson)]
    [InlineData("smart/v1/fire/{fire}/telemetry", """{"a":1} {"b":2}""", RejectReasons.BadJson)]
    [InlineData("smart/v1/fire/{fire}/telemetry", """{"temp_c":20,"co_ppm":0}""", RejectReasons.MissingField)]
    [InlineData("smart/v1/fire/{fire}/telemetry", """{"smoke_pct_per_m":"high","temp_c":20,"co_ppm":0}""", RejectReasons.BadField)]
    [InlineData("smart/v1/fire/{fire}/telemetry", """{"ts":1,"smoke_pct_per_m":0,"temp_c":20,"co_ppm":0}""", RejectReasons.TimestampOutOfRange)]
    [InlineData("smart/v1/fire/{fire}/telemetry", """{"seq":-1,"smoke_pct_per_m":0,"temp_c":20,"co_ppm":0}""", RejectReasons.BadField)]
    [InlineData("smart/v1/manhole/{fire}/telemetry", """{"tilt_deg":0}""", RejectReasons.WrongKind)]
    [InlineData("smart/v1/fire/{fire}/event", """{"confidence":1}""", RejectReasons.MissingField)]
    [InlineData("smart/v1/fire/{fire}/status", """{"up":true}""", RejectReasons.MissingField)]
    [InlineData("smart/v1/fire/{fire}/command", """{"cmd":"silence"}""", RejectReasons.NotForBridge)]
    public void Bad_messages_are_rejected_with_their_reason(string topic, string json, string reason)
    {
        var (ok, _, rejection) = Decode(topic.Replace("{fire}", _fire.Id), json);
        Assert.False(ok);
        Assert.Equal(reason, rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Detail));
    }

    [Fact]
    public void Oversize_payload_is_rejected_before_parsing()
    {
        var big = "{\"pad\":\"" + new string('x', TelemetrySchema.MaxPayloadBytes) + "\"}";
        Assert.Equal(RejectReasons.Oversize, Decode(Telemetry(_fire), big).Rejection.Reason);
    }

    [Fact]
    public void Camera_event_keeps_its_type_and_track_as_json_text()
    {
        var cam = DemoDistrict.Create().Devices.First(d => d.Kind == DeviceKind.Camera);
        var (ok, m, _) = Decode(DeviceTopic.Format(cam.Kind, cam.Id, TopicChannel.Event),
            """{"type":"falling_object","confidence":0.93,"floor_min":9,"floor_max":14,"track":[[10,5,0],[11,80,400]]}""");
        Assert.True(ok);
        Assert.Equal("falling_object", m!.EventType);
        Assert.Equal("[[10,5,0],[11,80,400]]", m.Fields.Single(f => f.Name == "track").Text);
    }
}
