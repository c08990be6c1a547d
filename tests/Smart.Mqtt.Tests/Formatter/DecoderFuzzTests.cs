using System.Buffers;
using System.Diagnostics;
using Smart.Mqtt.Formatter;
using Smart.Mqtt.Packets;
using Xunit.Abstractions;

namespace Smart.Mqtt.Tests.Formatter;

/// <summary>Mutation fuzzing: valid packets of every type, corrupted (bit flips, byte changes, insertions, deletions,
/// truncation, huge lengths, random noise) and fed to the decoder. It may decode, ask for more bytes or throw
/// <see cref="MqttProtocolException"/> — nothing else, always making progress, never allocating much more than the
/// packet limit. Fixed seed; <c>SMART_FUZZ_CASES</c> / <c>SMART_FUZZ_SEED</c> run more or other cases.</summary>
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int MaxPacketBytes = 4096;

    [Fact]
    public void Corrupted_and_truncated_packets_only_ever_raise_protocol_errors()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SMART_FUZZ_SEED"), out var s) ? s : 20261122;
        var cases = int.TryParse(Environment.GetEnvironmentVariable("SMART_FUZZ_CASES"), out var c) ? c : 40_000;
        output.WriteLine($"fuzz seed={seed} cases={cases} (set SMART_FUZZ_SEED / SMART_FUZZ_CASES to change)");
        var random = new Random(seed);
        var samples = new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 }
            .SelectMany(v => SamplePackets.Names(v).Select(n => (v, Bytes: CodecRoundTripTests.Encode(SamplePackets.Create(v, n), v))))
            .ToArray();
        var outcomes = new int[3];
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < cases; i++)
        {
            var (version, original) = samples[random.Next(samples.Length)];
            var input = Mutate(original, random);
            outcomes[DecodeAll(input, version, i, seed)]++;
        }
        output.WriteLine($"decoded={outcomes[0]} incomplete={outcomes[1]} rejected={outcomes[2]} in {sw.ElapsedMilliseconds} ms");
        Assert.True(outcomes[2] > cases / 10, "the mutations should mostly produce malformed packets");
        Assert.True(outcomes[0] > 0 && outcomes[1] > 0);
    }

    /// <summary>0 = decoded everything, 1 = waiting for more bytes, 2 = rejected.</summary>
    private static int DecodeAll(byte[] input, MqttProtocolVersion version, int index, int seed)
    {
        var seq = Segments.Split(input, 1 + (index % 7) * 5);
        try
        {
            while (!seq.IsEmpty)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var length = seq.Length;
                if (!MqttPacketDecoder.TryDecode(ref seq, version, MaxPacketBytes, out var packet)) return 1;
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(seq.Length < length, $"case {index} (seed {seed}): no progress");
                Assert.True(allocated < 4L * MaxPacketBytes + 32 * 1024, $"case {index} (seed {seed}): allocated {allocated} B");
                Assert.NotNull(packet);
            }
            return 0;
        }
        catch (MqttProtocolException)
        {
            return 2;
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"case {index} (seed {seed}) {version} input {Convert.ToHexString(input)}: {ex}");
            throw;
        }
    }

    private static byte[] Mutate(byte[] original, Random r)
    {
        var bytes = new List<byte>(original);
        var mutations = 1 + r.Next(3);
        for (var m = 0; m < mutations; m++)
        {
            switch (r.Next(9))
            {
                case 0: if (bytes.Count > 0) { var i = r.Next(bytes.Count); bytes[i] ^= (byte)(1 << r.Next(8)); } break;
                case 1: if (bytes.Count > 0) bytes[r.Next(bytes.Count)] = (byte)r.Next(256); break;
                case 2: bytes.Insert(r.Next(bytes.Count + 1), (byte)r.Next(256)); break;
                case 3: if (bytes.Count > 0) bytes.RemoveAt(r.Next(bytes.Count)); break;
                case 4: // delete a run
                    if (bytes.Count > 0) { var at = r.Next(bytes.Count); bytes.RemoveRange(at, r.Next(1, bytes.Count - at + 1)); }
                    break;
                case 5: // truncate
                    if (bytes.Count > 1) { var keep = r.Next(1, bytes.Count); bytes.RemoveRange(keep, bytes.Count - keep); }
                    break;
                case 6: if (bytes.Count > 1) bytes[1] = (byte)(0x80 | r.Next(256)); break; // remaining length grows
                case 7: if (bytes.Count > 2) bytes[2 + r.Next(bytes.Count - 2)] = (byte)(r.Next(2) == 0 ? 0xFF : 0x00); break;
                default: bytes = [.. Enumerable.Range(0, r.Next(1, 64)).Select(_ => (byte)r.Next(256))]; break;
            }
        }
        if (r.Next(4) == 0) bytes.AddRange(original); // a valid packet behind the damaged one
        return [.. bytes];
    }
}
