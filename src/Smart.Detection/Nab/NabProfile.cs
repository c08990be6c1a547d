namespace Smart.Detection.Nab;

/// <summary>A NAB application profile: the weights of true positives, false positives and missed windows
/// (Lavin &amp; Ahmad, "Evaluating Real-time Anomaly Detection Algorithms – the Numenta Anomaly Benchmark", 2015, §4).</summary>
public sealed record NabProfile(string Name, double TruePositive, double FalsePositive, double FalseNegative)
{
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);
    /// <summary>False positives cost twice as much.</summary>
    public static NabProfile RewardLowFalsePositives { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0);
    /// <summary>Missed windows cost twice as much.</summary>
    public static NabProfile RewardLowFalseNegatives { get; } = new("reward_low_FN_rate", 1.0, 0.11, 2.0);

    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositives, RewardLowFalseNegatives];
}
