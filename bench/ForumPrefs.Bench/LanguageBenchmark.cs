using ForumPrefs.Pairing.Screens;
using ForumPrefs.Store;
using Lingua;
using System.Diagnostics;
using System.Globalization;

namespace ForumPrefs.Bench;

/// <summary>
/// Lingua's model sets and modes on a store's real questions and answers: texts/s, model loading time and peak memory
/// (each configuration in its own process, since Lingua shares loaded models within one), and how many texts of an
/// English-only forum each calls something other than English: the false detections that reach a card's
/// <c>language:</c> list.
/// </summary>
public static class LanguageBenchmark
{
    public const string WorkerVerb = "language-worker";

    /// <summary>Other: texts called neither en nor und; Ruled…: the same with texts under the length rule's minimum made und.</summary>
    public sealed record Row(string Config, long Texts, double LoadSeconds, double DetectSeconds, long PeakRssMb, long Other, long RuledOther,
        long RuledUndetermined, IReadOnlyDictionary<string, long> RuledOthers);

    public static readonly IReadOnlyDictionary<string, Func<LanguageDetector>> Configs = new Dictionary<string, Func<LanguageDetector>>
    {
        ["all 79, low accuracy"] = () => LanguageDetectorBuilder.FromAllLanguages().WithLowAccuracyMode().Build(),
        ["all 79, high accuracy"] = () => LanguageDetectorBuilder.FromAllLanguages().Build(),
        [$"web {LanguageDetection.WebLanguages.Length}, low accuracy"] = () => LanguageDetectorBuilder.FromLanguages(LanguageDetection.WebLanguages).WithLowAccuracyMode().Build(),
        [$"web {LanguageDetection.WebLanguages.Length}, high accuracy"] = () => LanguageDetectorBuilder.FromLanguages(LanguageDetection.WebLanguages).Build(),
    };

    /// <summary>Questions (title and body) and answers of the store, one per line, up to <paramref name="count"/> of each.</summary>
    public static string WriteTexts(string storePath, string folder, int count)
    {
        var path = Path.Combine(folder, "texts.txt");
        using var store = ForumStore.Open(storePath, create: false);
        using var writer = new StreamWriter(path);
        foreach (var forum in store.Forums())
        {
            int questions = 0, answers = 0;
            foreach (var thread in store.Threads(forum))
            {
                if (questions++ < count)
                    writer.WriteLine(ContentClusters.QuestionText(thread.Post.Title, thread.Post.Body).ReplaceLineEndings("\u2028"));
                foreach (var comment in thread.Comments)
                    if (answers < count && !ForumPrefs.Core.DeletedContent.IsMarker(comment.Comment.Body) && comment.Comment.Body.Length > 0)
                    {
                        answers++;
                        writer.WriteLine(comment.Comment.Body.ReplaceLineEndings("\u2028"));
                    }
                if (questions >= count && answers >= count)
                    break;
            }
        }
        return path;
    }

    public static IReadOnlyList<Row> Run(string textsPath)
    {
        var rows = new List<Row>();
        foreach (var config in Configs.Keys)
        {
            var result = Path.GetTempFileName();
            var measured = Processes.MeasureOnce(config, 0, [Environment.ProcessPath!, WorkerVerb, config, textsPath, result]);
            var fields = File.ReadAllLines(result);
            File.Delete(result);
            var numbers = fields[0].Split(' ').Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray();
            var others = fields.Skip(1).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
            rows.Add(new Row(config, (long)numbers[0], numbers[1], numbers[2], measured.PeakRssMb, (long)numbers[3], (long)numbers[4], (long)numbers[5], others));
        }
        return rows;
    }

    /// <summary>
    /// The worker: one configuration over the texts, timed on every text (no length rule), then counted again with
    /// texts under <see cref="LanguageDetection.MinChars"/> characters as "und", as pairing does.
    /// </summary>
    public static int Work(string config, string textsPath, string resultPath)
    {
        var clock = Stopwatch.StartNew();
        var detector = Configs[config]();
        var raw = new LanguageDetection(detector, minChars: 0);
        raw.Detect("warm the models up with a sentence in English");
        var load = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var texts = File.ReadLines(textsPath).Select(l => l.Replace('\u2028', '\n')).ToList();
        var detected = texts.Select(raw.Detect).ToList();
        var seconds = clock.Elapsed.TotalSeconds;
        var ruled = texts.Select((t, i) => t.AsSpan().Trim().Length < LanguageDetection.MinChars ? LanguageDetection.Undetermined : detected[i]).ToList();
        static long Other(List<string> languages) => languages.Count(l => l is not ("en" or LanguageDetection.Undetermined));
        File.WriteAllLines(resultPath, [
            string.Create(CultureInfo.InvariantCulture, $"{texts.Count} {load} {seconds} {Other(detected)} {Other(ruled)} {ruled.Count(l => l == LanguageDetection.Undetermined)}"),
            .. ruled.Where(l => l is not ("en" or LanguageDetection.Undetermined)).GroupBy(l => l).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")]);
        return 0;
    }
}
