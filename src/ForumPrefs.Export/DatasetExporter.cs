using ForumPrefs.Datasets;
using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Store;

namespace ForumPrefs.Export;

/// <summary>What one forum's export wrote.</summary>
public sealed record ForumExport(
    PairRun Run,
    string Folder,
    IReadOnlyDictionary<Split, long> Rows,
    IReadOnlyDictionary<Split, string> Files,
    PairDiagnostics Diagnostics,
    long SkippedDeleted,
    long PreferredEarlier = 0)
{
    public long TotalRows => Rows.Values.Sum();
}

/// <summary>Writes each run's pairs into &lt;out&gt;/&lt;forum&gt;/{train,validation,test} files.</summary>
public static class DatasetExporter
{
    public const string AttributionSource = SourceNames.StackExchange;

    public static async Task<IReadOnlyList<ForumExport>> ExportAsync(ForumStore store, IReadOnlyList<PairRun> runs,
        string outFolder, ExportOptions options, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outFolder);
        var exports = new List<ForumExport>();
        long written = 0;
        foreach (var run in runs)
        {
            var folderName = FolderName(run, runs);
            var folder = Path.Combine(outFolder, folderName);
            Directory.CreateDirectory(folder);
            var includeAttribution = run.Forum.Source == AttributionSource;
            var includeWindow = run.Policy == ForumPrefs.Pairing.Policies.CommonWindowPolicy.PolicyName;
            var writers = new Dictionary<Split, PairFileWriter>();
            foreach (var split in Enum.GetValues<Split>())
                writers[split] = await PairFileWriter.CreateAsync(folder, split, $"{folderName}_{split.Name()}", options,
                    includeAttribution, cancellationToken, includeWindow);
            var diagnostics = new PairDiagnostics();
            var counts = new PairAssembler.Counts();
            long preferredEarlier = 0;
            try
            {
                foreach (var pair in PairAssembler.Read(store, run, counts))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await writers[pair.Split].AddAsync(pair, cancellationToken);
                    preferredEarlier += pair.SecondsDifference is null ? 1 : 0;
                    diagnostics.Add(pair.PostId, pair.Preferred.Text, pair.Other.Text, pair.ScoreRatio,
                        pair.Preferred.Quality, pair.Other.Quality, pair.Label, pair.Split, pair.Margin);
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
                writers.ToDictionary(w => w.Key, w => Path.GetRelativePath(outFolder, w.Value.Path).Replace('\\', '/')),
                diagnostics, counts.SkippedDeleted, preferredEarlier));
        }
        progress?.Invoke(written);
        return exports;
    }

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
