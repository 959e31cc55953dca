using ForumPrefs.Pairing.NearDuplicates;
using System.Diagnostics;
using System.Text;

namespace ForumPrefs.Bench;

/// <summary>
/// Near-duplicate detection at scale: MinHash LSH over generated answers (answers/s, peak memory) next to a numpy
/// reference doing the same work, and the LSH step's recall and precision against exact Jaccard on a labelled sample
/// of real answers with planted near-duplicates.
/// </summary>
public static class DedupBenchmark
{
    public sealed record Speed(string Stage, long Texts, double Seconds, long PeakRssMb, long Clusters);
    public sealed record Accuracy(double Threshold, int Bands, int Rows, long TruePairs, long Candidates, double Recall, double Precision);

    /// <summary>Answers of a forum's length (log-normal words, median 40) from a Zipf vocabulary; a tenth are edited copies of earlier ones.</summary>
    public static void Generate(string path, int count, int seed = 7)
    {
        var random = new Random(seed);
        var vocabulary = Enumerable.Range(0, 20_000).Select(i => Word(i, random)).ToArray();
        var recent = new List<string[]>();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        for (var i = 0; i < count; i++)
        {
            string[] words;
            if (recent.Count > 0 && random.NextDouble() < 0.1)
                words = Edit(recent[random.Next(recent.Count)], random.NextDouble() * 0.3, vocabulary, random);
            else
            {
                var length = Math.Clamp((int)Math.Exp(Math.Log(40) + 0.9 * Gaussian(random)), 3, 1500);
                words = new string[length];
                for (var w = 0; w < length; w++)
                    words[w] = vocabulary[Math.Min(vocabulary.Length - 1, (int)(Math.Pow(random.NextDouble(), 3) * vocabulary.Length))];
            }
            if (recent.Count < 10_000) recent.Add(words); else recent[random.Next(recent.Count)] = words;
            writer.WriteLine(string.Join(' ', words));
        }
    }

    public static Speed RunForumPrefs(string path, NearDuplicateOptions options)
    {
        var clock = Stopwatch.StartNew();
        var index = new LshIndex(options);
        foreach (var line in File.ReadLines(path))
            index.Add(line);
        var sets = index.Clusters();
        var clusters = Enumerable.Range(0, index.Count).Count(i => sets.Find(i) == i);
        return new Speed("ForumPrefs (C#)", index.Count, clock.Elapsed.TotalSeconds, Process.GetCurrentProcess().PeakWorkingSet64 >> 20, clusters);
    }

    public static Speed? RunPython(string path, NearDuplicateOptions options, out string? problem)
    {
        problem = null;
        try
        {
            var script = PythonReference.Script("dedup_minhash.py", ("numpy", "python3-numpy"));
            var (bands, rows) = options.Banding();
            var measured = Processes.MeasureOnce("numpy reference", 0,
                [PythonReference.Python, script, path, options.Hashes.ToString(), bands.ToString(), rows.ToString(), options.ShingleWords.ToString()]);
            return new Speed("Python + numpy", File.ReadLines(path).LongCount(), measured.Seconds, measured.PeakRssMb, -1);
        }
        catch (BenchException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>
    /// Recall and precision of the LSH candidates against exact Jaccard ≥ threshold, over every pair of the sample:
    /// real answers, plus for half of them a copy with a share of its words edited (0–10 %: with 5-word shingles that
    /// spans Jaccard from 1 down to about 0.4), so similarities on both sides of the threshold are present.
    /// </summary>
    public static Accuracy Measure(IReadOnlyList<string> answers, NearDuplicateOptions options, int seed = 11)
    {
        var random = new Random(seed);
        var vocabulary = answers.SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().Take(50_000).ToArray();
        var texts = answers.ToList();
        foreach (var answer in answers.Where((_, i) => i % 2 == 0))
            texts.Add(string.Join(' ', Edit(answer.Split(' ', StringSplitOptions.RemoveEmptyEntries), random.NextDouble() * 0.1, vocabulary, random)));
        var index = new LshIndex(options);
        foreach (var text in texts)
            index.Add(text);
        var candidates = index.CandidatePairs();
        var sets = texts.Select(t => Shingles.Set(t, options.ShingleWords)).ToArray();
        long truePairs = 0, found = 0;
        for (var x = 0; x < texts.Count; x++)
            for (var y = x + 1; y < texts.Count; y++)
                if (Shingles.Jaccard(sets[x], sets[y]) >= options.Threshold)
                {
                    truePairs++;
                    found += candidates.Contains((x, y)) ? 1 : 0;
                }
        var correct = candidates.Count(c => Shingles.Jaccard(sets[c.Item1], sets[c.Item2]) >= options.Threshold);
        var (bands, rows) = options.Banding();
        return new Accuracy(options.Threshold, bands, rows, truePairs, candidates.Count,
            truePairs == 0 ? double.NaN : (double)found / truePairs, candidates.Count == 0 ? double.NaN : (double)correct / candidates.Count);
    }

    private static string[] Edit(string[] words, double rate, string[] vocabulary, Random random)
    {
        var result = new List<string>(words.Length + 4);
        foreach (var word in words)
        {
            var roll = random.NextDouble();
            if (roll >= rate) result.Add(word);
            else if (roll < rate / 3) continue;                                      // delete
            else if (roll < 2 * rate / 3) result.Add(vocabulary[random.Next(vocabulary.Length)]); // substitute
            else { result.Add(word); result.Add(vocabulary[random.Next(vocabulary.Length)]); }   // insert
        }
        return result.Count > 0 ? [.. result] : words;
    }

    private static string Word(int i, Random random)
    {
        var length = 2 + random.Next(8);
        var chars = new char[length];
        for (var c = 0; c < length; c++)
            chars[c] = (char)('a' + random.Next(26));
        return new string(chars);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>Real texts for the labelled samples: comment bodies of a Reddit dump (the r/GradSchool fixture).</summary>
public static class SampleTexts
{
    public static IReadOnlyList<string> Comments(string dumpPath, int count, int minWords)
    {
        using var input = ForumPrefs.Sources.RedditDump.DumpInput.Open(dumpPath);
        using var reader = new StreamReader(input.Decompressed());
        var texts = new List<string>();
        while (texts.Count < count && reader.ReadLine() is { } line)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("body", out var body) && body.GetString() is { } text
                && text is not ("[deleted]" or "[removed]") && text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= minWords)
                texts.Add(text.ReplaceLineEndings(" "));
        }
        return texts;
    }
}
