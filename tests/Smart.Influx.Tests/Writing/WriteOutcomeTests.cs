using Smart.Influx.Http;

namespace Smart.Influx.Tests.Writing;

/// <summary>Answers of InfluxDB 1.x (seen from influxd 1.6.7) and 2.x/3.x (from their documentation), classified.</summary>
public sealed class WriteOutcomeTests
{
    [Theory]
    [InlineData(400, "{\"error\":\"partial write: field type conflict: input field \\\"v\\\" on measurement \\\"m\\\" is type string, already exists as type float dropped=1\"}", "Partial", 1)]
    [InlineData(400, "{\"error\":\"partial write: unable to parse 'm v= 5000': missing field value dropped=0\"}", "Partial", 0)]
    [InlineData(400, "{\"error\":\"partial write: points beyond retention policy dropped=3\"}", "Partial", 3)]
    [InlineData(422, "{\"code\":\"unprocessable entity\",\"message\":\"failure writing points to database: partial write: field type conflict dropped=2\"}", "Partial", 2)]
    [InlineData(400, "{\"error\":\"field type conflict\"}", "Rejected", 0)]
    [InlineData(400, "{\"code\":\"invalid\",\"message\":\"unable to parse 'x': missing fields\"}", "Rejected", 0)]
    [InlineData(413, "{\"error\":\"Request Entity Too Large\"}", "Rejected", 0)]
    [InlineData(422, "{\"code\":\"unprocessable entity\",\"message\":\"points beyond retention\"}", "Rejected", 0)]
    [InlineData(401, "{\"error\":\"authorization failed\"}", "Misconfigured", 0)]
    [InlineData(403, "", "Misconfigured", 0)]
    [InlineData(404, "{\"error\":\"database not found: \\\"nope\\\"\"}", "Misconfigured", 0)]
    [InlineData(408, "", "Retryable", 0)]
    [InlineData(429, "{\"code\":\"too many requests\",\"message\":\"org exceeded write limit\"}", "Retryable", 0)]
    [InlineData(500, "{\"error\":\"timeout\"}", "Retryable", 0)]
    [InlineData(503, "", "Retryable", 0)]
    public void Answers_are_classified_as_influxdb_documents_them(int status, string body, string kind, long dropped)
    {
        var o = InfluxHttp.Classify(status, body, null);
        Assert.Equal(kind, o.Kind.ToString());
        Assert.Equal(dropped, o.Dropped);
        Assert.DoesNotContain("{\"", o.Error);
    }

    [Fact]
    public void Error_text_is_unescaped_from_the_json_body()
    {
        var o = InfluxHttp.Classify(404, "{\"error\":\"database not found: \\\"nope\\\"\"}", null);
        Assert.Equal("database not found: \"nope\"", o.Error);
    }
}
