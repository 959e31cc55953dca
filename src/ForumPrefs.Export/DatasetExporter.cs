using ForumPrefs.Datasets;
using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Store;
using ForumPrefs.Export.Redaction;

namespace ForumPrefs.Export;

/// <summary>What one forum's export wrote.</summary>
public sealed record ForumExport(
    PairRun Run,
    string Folder,
    IReadOnlyDictionary<Split, long> Rows,
    IReadOnlyDictionary<Split, IReadOnlyList<string>> Files,
    PairDiagnostics Diagnostics,
    long SkippedDeleted,
    long PreferredEarlier = 0)
{
    public long TotalRows => Rows.Values.Sum();

    /// <summary>Placeholders written, by kind (empty when nothing was redacted).</summary>
    public IReadOnlyDictionary<PiiKind, long> Redacted { get; init; } = new Dictionary<PiiKind, long>();
    /// <summary>Rows by the pair's language, and by each item's licence (question and both answers).</summary>
    public IReadOnlyDictionary<string, long> Languages { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, long> Licences { get; init; } = new Dictionary<string, long>();
    public bool Attribution { get; init; }
}

/// <summary>
/// Writes each run's pairs into &lt;out&gt;/&lt;forum&gt;/{train,validation,test} files, in shards of bounded size,
/// with personal data redacted and, where asked or where the licence requires it, attribution columns.
/// </summary>
public static class DatasetExporter
{
    public const string AttributionSource = SourceNames.StackExchange;

    public static async Task<IReadOnlyList<ForumExport>> ExportAsync(ForumStore store, IReadOnlyList<PairRun> runs,
        string outFolder, ExportOptions options, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outFolder);
        var kinds = PiiKinds.Parse(options.Redact);
        var exports = new List<ForumExport>();
        long written = 0;
        foreach (var run in runs)
        {
            var folderName = FolderName(run, runs);
            var folder = Path.Combine(outFolder, folderName);
            Directory.CreateDirectory(folder);
            // CC BY-SA content must be attributed item by item: its forums get the columns whatever the options say.
            var includeAttribution = options.Attribution || run.Forum.Source == AttributionSource;
            var includeWindow = run.Policy == ForumPrefs.Pairing.Policies.CommonWindowPolicy.PolicyName;
            var redactor = new PairRedaction(new PiiRedactor(kinds, atMentions: run.Forum.Source is not (SourceNames.Reddit or SourceNames.Simulator)));
            var writers = new Dictionary<Split, SplitShards>();
            foreach (var split in Enum.GetValues<Split>())
                writers[split] = new SplitShards(folder, split, shard => PairFileWriter.CreateAsync(folder, split, $"{folderName}_{split.Name()}", options,
                    includeAttribution, cancellationToken, includeWindow, shard), (long)(options.MaxFileMb * (1 << 20)), PairFileWriter.Extension(options.Format));
            var diagnostics = new PairDiagnostics();
            var counts = new PairAssembler.Counts();
            var languages = new Dictionary<string, long>();
            var licences = new Dictionary<string, long>();
            var attributed = new HashSet<string>();
            long preferredEarlier = 0;
            try
            {
                foreach (var read in PairAssembler.Read(store, run, counts))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var pair = redactor.Apply(read);
                    await writers[pair.Split].AddAsync(pair, cancellationToken);
                    preferredEarlier += pair.SecondsDifference is null ? 1 : 0;
                    diagnostics.Add(pair.PostId, pair.Preferred.Text, pair.Other.Text, pair.ScoreRatio,
                        pair.Preferred.Quality, pair.Other.Quality, pair.Label, pair.Split, pair.Margin);
                    Tally(languages, pair.Language ?? Layouts.Undetermined);
                    // Licences are counted per item (a question or an answer), not per row it appears in.
                    if (pair.Attribution is { } attribution)
                        foreach (var (id, item) in new[] { ("q" + pair.PostId, attribution.Question), ("a" + pair.Preferred.Id, attribution.Preferred), ("a" + pair.Other.Id, attribution.Other) })
                            if (attributed.Add(id))
                                Tally(licences, item.License);
                    if (++written % 10_000 == 0)
                        progress?.Invoke(written);
                }
                foreach (var writer in writers.Values)
                    await writer.CompleteAsync();
            }
            finally
            {
                foreach (var writer in writers.Values)
                    await writer.DisposeAsync();
            }
            exports.Add(new ForumExport(run, folderName,
                writers.ToDictionary(w => w.Key, w => w.Value.Rows),
                writers.ToDictionary(w => w.Key, w => (IReadOnlyList<string>)w.Value.Paths.Select(p => Path.GetRelativePath(outFolder, p).Replace('\\', '/')).ToList()),
                diagnostics, counts.SkippedDeleted, preferredEarlier)
            {
                Redacted = kinds.ToDictionary(k => k, redactor.Redactor.Count), Languages = languages, Licences = licences,
                Attribution = includeAttribution,
            });
        }
        progress?.Invoke(written);
        return exports;
    }

    private static void Tally(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    /// <summary>Writes pairs already in memory to one split file (the benchmark times Parquet writing alone with it).</summary>
    public static async Task<string> WriteFileAsync(string folder, Split split, string domain, IEnumerable<PreferencePair> pairs,
        ExportOptions options, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        await using var writer = await PairFileWriter.CreateAsync(folder, split, domain, options, false, cancellationToken);
        foreach (var pair in pairs)
            await writer.AddAsync(pair, cancellationToken);
        await writer.CompleteAsync();
        return writer.Path;
    }

    /// <summary>
    /// The forum's name made safe for the file system (<see cref="FolderNames"/>), prefixed with its source only where
    /// two sources share a name.
    /// </summary>
    private static string FolderName(PairRun run, IReadOnlyList<PairRun> runs) =>
        FolderNames.For(run.Forum, withSource: runs.Count(r => FolderNames.Safe(r.Forum.Name) == FolderNames.Safe(run.Forum.Name)) > 1);
}
