using System.Text;

namespace ForumPrefs.Tests.Fuzz;

/// <summary>
/// Seeded mutations of real inputs: bit flips, truncation, wrong types, huge fields, deep nesting, invalid UTF-8,
/// duplicated and deleted slices. The same seed gives the same inputs, so a failure can be replayed.
/// </summary>
public sealed class Mutator(int seed)
{
    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input)
    {
        var bytes = input.ToList();
        var rounds = 1 + _random.Next(3);
        for (var r = 0; r < rounds && bytes.Count > 0; r++)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(8))
            {
                case 0:
                    for (var i = 0; i < 1 + _random.Next(8); i++)
                    {
                        var p = _random.Next(bytes.Count);
                        bytes[p] ^= (byte)(1 << _random.Next(8));
                    }
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(_random.Next(4) switch { 0 => "\"x\"", 1 => "123", 2 => "{}", _ => "null" }));
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)'a', 200_000 + _random.Next(800_000)));
                    break;
                case 4:
                    var open = Encoding.UTF8.GetBytes(_random.Next(3) switch { 0 => "[", 1 => "{\"a\":", _ => "<div>" });
                    bytes.InsertRange(at, Enumerable.Range(0, 2_000 + _random.Next(20_000)).SelectMany(_ => open));
                    break;
                case 5:
                    bytes.InsertRange(at, [0xFF, 0xFE, 0xC3, 0x28, 0xED, 0xA0, 0x80]);
                    break;
                case 6:
                    var length = Math.Min(bytes.Count - at, 1 + _random.Next(500));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(200)));
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>How many inputs per target: a short run in CI, FORUMPREFS_FUZZ_INPUTS (e.g. 10000) for the full campaign.</summary>
    public static int Inputs => int.TryParse(Environment.GetEnvironmentVariable("FORUMPREFS_FUZZ_INPUTS"), out var n) ? n : 150;
}
