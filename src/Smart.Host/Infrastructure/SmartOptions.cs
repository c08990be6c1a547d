using System.ComponentModel.DataAnnotations;

namespace Smart.Host.Infrastructure;

/// <summary><c>Mqtt:*</c>. An empty <see cref="Url"/> means: spawn the embedded mosquitto.</summary>
public sealed class MqttOptions
{
    public string? Url { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    [Required] public string ClientId { get; set; } = "smart-bridge-" + Environment.MachineName.ToLowerInvariant();
    /// <summary>Shared-subscription group; several hosts in one group split the device traffic (DESIGN §13).</summary>
    [Required] public string SharedGroup { get; set; } = "smart-bridge";
    public bool IsExternal => !string.IsNullOrWhiteSpace(Url);
}

/// <summary><c>Influx:*</c>. An empty <see cref="Url"/> means: spawn the embedded influxd.</summary>
public sealed class InfluxSettings
{
    public string? Url { get; set; }
    [Required] public string Database { get; set; } = "smart";
    [Range(1, 2)] public int ApiVersion { get; set; } = 1;
    public string? Token { get; set; }
    public string? Org { get; set; }

    /// <summary>How often the rollups of points that landed too late for the 1-minute continuous query are recomputed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan LateRollupInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsExternal => !string.IsNullOrWhiteSpace(Url);
}

/// <summary><c>Database:*</c>: <c>sqlite</c> (embedded default, under the data directory) or <c>postgres</c>.</summary>
public sealed class DatabaseOptions
{
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";
    public string? ConnectionString { get; set; }
}

/// <summary><c>Demo:*</c>: load the demo district and allow demo logins.</summary>
public sealed class DemoOptions
{
    public bool Enabled { get; set; }
    public string Secret { get; set; } = Smart.Core.Demo.DemoDistrict.DefaultSecret;
}

/// <summary><c>Embedded:*</c>: where and on which ports the host runs its own mosquitto and influxd.</summary>
public sealed class EmbeddedOptions
{
    /// <summary>Data for the embedded services, SQLite and the spool (relative paths are under the content root).</summary>
    [Required] public string DataDirectory { get; set; } = ".smart";
    [Range(1, 65535)] public int MqttPort { get; set; } = 1883;
    [Range(1, 65535)] public int InfluxPort { get; set; } = 8086;
    [Range(1, 65535)] public int InfluxRpcPort { get; set; } = 8088;
    public string MosquittoPath { get; set; } = "/usr/sbin/mosquitto";
    public string InfluxdPath { get; set; } = "/usr/bin/influxd";
}
