using System.CommandLine;
using FirmwareSim.Cli;
using FirmwareSim.Transport;

// firmware-sim: see Cli/SimCli.cs for the commands, Simulator.cs for the library entry point.
try
{
    return await SimCli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or MqttLinkException or UnauthorizedAccessException)
{
    // Usage and environment errors: one clear line, no stack trace.
    Console.Error.WriteLine($"firmware-sim: {e.Message}");
    return 2;
}
