using ForumPrefs.Pairing.NearDuplicates;
using System.Security.Cryptography;

namespace ForumPrefs.Pairing.Screens;

/// <summary>One evaluation file as the dataset card names it.</summary>
public sealed record EvalFile(string Name, string Sha256, long Texts, long NGrams, long BadLines);

/// <summary>
/// Benchmark decontamination by n-gram overlap, as GPT-3 and datatrove do it: every word n-gram (13 words by default)
/// of the evaluation files goes into a set, and a forum text sharing any of them is contaminated. A text shorter than n
/// words is one n-gram of all its words, so a short prompt matches only a forum text of exactly those words.
/// </summary>
public sealed class Decontaminator
{
    private readonly Dictionary<ulong, int> _ngrams = [];
    private readonly List<ulong> _shingles = [];

    public Decontaminator(IReadOnlyList<string> paths, int ngramWords)
    {
        NGramWords = ngramWords;
        var files = new List<EvalFile>();
        for (var index = 0; index < paths.Count; index++)
        {
            var path = paths[index];
            if (!File.Exists(path))
                throw new PairingOptionsException($"--decontaminate: no such file: {path}");
            var counts = new EvalTexts.Counts();
            var before = _ngrams.Count;
            foreach (var text in EvalTexts.Read(path, counts))
                foreach (var ngram in Shingles.Of(text, ngramWords, _shingles))
                    _ngrams.TryAdd(ngram, index);
            files.Add(new EvalFile(Path.GetFileName(path), Sha256(path), counts.Texts, _ngrams.Count - before, counts.BadLines));
        }
        Files = files;
    }

    public int NGramWords { get; }
    public IReadOnlyList<EvalFile> Files { get; }

    /// <summary>The file of the first n-gram the text shares with the evaluation files, or null when it shares none.</summary>
    public EvalFile? Match(string text)
    {
        foreach (var ngram in Shingles.Of(text, NGramWords, _shingles))
            if (_ngrams.TryGetValue(ngram, out var file))
                return Files[file];
        return null;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
