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

    public sealed record Row(string Config, long Texts, double LoadSeconds, double DetectSeconds, long PeakRssMb, long English, long Undetermined,
        IReadOnlyDictionary<string, long> Others);

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
            var numbers = fields[0].Split(' ');
            var others = fields.Skip(1).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
            rows.Add(new Row(config, long.Parse(numbers[0], CultureInfo.InvariantCulture), double.Parse(numbers[1], CultureInfo.InvariantCulture),
                double.Parse(numbers[2], CultureInfo.InvariantCulture), measured.PeakRssMb, long.Parse(numbers[3], CultureInfo.InvariantCulture),
                long.Parse(numbers[4], CultureInfo.InvariantCulture), others));
        }
        return rows;
    }

    /// <summary>The worker: one configuration over the texts, its counts written to <paramref name="resultPath"/>.</summary>
    public static int Work(string config, string textsPath, string resultPath)
    {
        var clock = Stopwatch.StartNew();
        var detection = new LanguageDetection(Configs[config]());
        detection.Detect("warm the models up with a sentence in English");
        var load = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var counts = new Dictionary<string, long>();
        long texts = 0;
        foreach (var line in File.ReadLines(textsPath))
        {
            var language = detection.Detect(line.Replace('\u2028', '\n'));
            counts[language] = counts.GetValueOrDefault(language) + 1;
            texts++;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        File.WriteAllLines(resultPath, [
            string.Create(CultureInfo.InvariantCulture, $"{texts} {load} {seconds} {counts.GetValueOrDefault("en")} {counts.GetValueOrDefault(LanguageDetection.Undetermined)}"),
            .. counts.Where(c => c.Key is not ("en" or LanguageDetection.Undetermined)).OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}")]);
        return 0;
    }
}
