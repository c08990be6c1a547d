using FirmwareSim.Scenarios;

namespace FirmwareSim.Tests;

internal static class Library
{
    /// <summary>The scenario files shipped with the simulator (copied next to firmware-sim.dll).</summary>
    public static ScenarioLibrary Scenarios { get; } = ScenarioLibrary.Load();
}
