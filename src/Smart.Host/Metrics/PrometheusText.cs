using System.Globalization;
using System.Text;

namespace Smart.Host.Metrics;

/// <summary>Something that contributes series to <c>/metrics</c>.</summary>
public interface IMetricsSource
{
    void Write(PrometheusText text);
}

/// <summary>Prometheus text exposition format 0.0.4 writer.</summary>
public sealed class PrometheusText
{
    private readonly StringBuilder _sb = new();
    private readonly HashSet<string> _described = [];

    public PrometheusText Counter(string name, string help, double value, params (string Key, string Value)[] labels) => Sample(name, "counter", help, value, labels);

    public PrometheusText Gauge(string name, string help, double value, params (string Key, string Value)[] labels) => Sample(name, "gauge", help, value, labels);

    private PrometheusText Sample(string name, string type, string help, double value, (string Key, string Value)[] labels)
    {
        if (_described.Add(name)) _sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        _sb.Append(name);
        if (labels.Length > 0)
        {
            _sb.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0) _sb.Append(',');
                _sb.Append(labels[i].Key).Append("=\"").Append(labels[i].Value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")).Append('"');
            }
            _sb.Append('}');
        }
        _sb.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        return this;
    }

    public override string ToString() => _sb.ToString();
}

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (IEnumerable<IMetricsSource> sources) =>
        {
            var text = new PrometheusText();
            foreach (var source in sources) source.Write(text);
            return TypedResults.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }
}
