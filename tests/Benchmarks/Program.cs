using System.Reflection;
using Smart.Benchmarks;

// ./smart bench NAME [args]: each benchmark is an IBenchmark found by reflection; every run ends with one
// line "RESULT NAME key=value ..." (DESIGN §12).
var benches = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();
var name = args.FirstOrDefault();
var bench = benches.FirstOrDefault(b => b.Name == name);
if (bench is null)
{
    Console.Error.WriteLine($"usage: ./smart bench NAME [args]   where NAME is one of: {string.Join(", ", benches.Select(b => b.Name))}");
    return 2;
}
try
{
    var result = await bench.RunAsync(args[1..]);
    Console.WriteLine(result.ToString());
    return 0;
}
catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
{
    // A mistyped option value: one line, not a stack trace.
    Console.Error.WriteLine($"bench {name}: {e.Message} (check the option values; see tests/Benchmarks/{char.ToUpperInvariant(name![0])}{name[1..]}Benchmark.cs for the options)");
    return 2;
}
