using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Smart.Detection.Tests")]
[assembly: InternalsVisibleTo("Benchmarks")]
