using System.Runtime.CompilerServices;

namespace ForumPrefs.Training;

/// <summary>
/// Training steps of similar lengths. Rows come a window at a time (<c>window</c> steps' worth, in the shuffled
/// order), are encoded, sorted by their longer side and cut into steps; the window's steps go out in a seeded random
/// order. Every row is still trained once an epoch, and a batch is padded to about its own length instead of the
/// longest of random rows: most forum answers are far shorter than --max-length.
/// </summary>
public static class LengthBuckets
{
    public static async IAsyncEnumerable<IReadOnlyList<EncodedPair>> StepsAsync<TRow>(IAsyncEnumerable<TRow> rows, Func<TRow, EncodedPair> encode,
        int pairsPerStep, int window, int seed, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var random = new Random(seed);
        await foreach (var chunk in rows.Chunk(pairsPerStep * window).WithCancellation(cancellationToken))
        {
            var encoded = chunk.Select(encode);
            if (window > 1)
                encoded = encoded.OrderBy(Longer); // stable: equal lengths keep the shuffled order
            var steps = encoded.Chunk(pairsPerStep).ToArray();
            if (window > 1)
                random.Shuffle(steps);
            foreach (var step in steps)
                yield return step;
        }
    }

    public static int Longer(EncodedPair pair) => Math.Max(pair.Chosen.Length, pair.Rejected.Length);
}
