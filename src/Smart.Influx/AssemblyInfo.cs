using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Smart.Influx.Tests")]
