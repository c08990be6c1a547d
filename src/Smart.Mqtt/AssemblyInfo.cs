using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Smart.Mqtt.Tests")]

namespace Smart.Mqtt;
