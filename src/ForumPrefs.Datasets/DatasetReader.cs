using ForumPrefs.Core;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using System.Runtime.CompilerServices;

namespace ForumPrefs.Datasets;

/// <summary>One exported row in the form a trainer wants, whichever layout the file has.</summary>
public sealed record DatasetRow(string PostId, string Domain, string Prompt, string Chosen, string Rejected, double ScoreRatio, double Margin);

/// <summary>A dataset problem a user can act on (a missing column, an empty folder, an unknown forum).</summary>
public sealed class DatasetException(string message) : Exception(message);

/// <summary>
/// Streams the rows of an exported dataset (SHP or TRL Parquet layout) one row group at a time, for the trainer.
/// </summary>
public static class DatasetReader
{
    private static readonly string[] TrlColumns = ["prompt", "chosen", "rejected", "score_ratio"];
    private static readonly string[] ShpColumns = ["post_id", "domain", "history", "human_ref_A", "human_ref_B", "labels", "score_ratio", "score_A", "score_B"];

    /// <summary>The forum folders of an export that hold a file for <paramref name="split"/>.</summary>
    public static IReadOnlyList<string> Forums(string folder, Split split)
    {
        ExportFolder.RequireComplete(folder);
        var forums = Directory.EnumerateDirectories(folder)
            .Where(d => ExportFolder.SplitFiles(d, split).Count > 0)
            .Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList();
        return forums.Count > 0 ? forums : throw new DatasetException($"no {split.Name()}.parquet files under '{folder}' (export with --layout shp or trl)");
    }

    public static async IAsyncEnumerable<DatasetRow> ReadAsync(string folder, Split split, string? forum = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var forums = Forums(folder, split);
        if (forum is not null && !forums.Contains(forum))
            throw new DatasetException($"unknown forum '{forum}' in '{folder}' (has: {string.Join(", ", forums)})");
        foreach (var name in forum is null ? forums : [forum])
        {
            foreach (var file in ExportFolder.SplitFiles(Path.Combine(folder, name), split))
                await foreach (var row in ReadFileAsync(file, cancellationToken))
                    yield return row;
        }
    }

    public static async IAsyncEnumerable<DatasetRow> ReadFileAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken);
        if (reader.Schema.Fields.FirstOrDefault(f => f.Name == "prompt") is ListField)
        {
            // TRL's conversational format, a row group at a time: the conversation becomes one prompt text, as the
            // other layouts have it.
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                await using var file = File.OpenRead(path);
                foreach (var row in (await ParquetSerializer.DeserializeAsync<ConversationalRow>(file, rowGroupIndex: g, cancellationToken: cancellationToken)).Data)
                    yield return new DatasetRow(row.PostId, row.Domain,
                        ChatRoles.Transcript(row.Prompt.Select(m => new ChatTurn(m.Role, m.Content)).ToList()),
                        string.Concat(row.Chosen.Select(m => m.Content)), string.Concat(row.Rejected.Select(m => m.Content)), row.ScoreRatio ?? 1, row.Margin ?? 0);
            }
            yield break;
        }
        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
        var isTrl = fields.ContainsKey("chosen");
        var required = isTrl ? TrlColumns : ShpColumns;
        var missing = required.Where(c => !fields.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new DatasetException($"'{path}' is neither SHP nor TRL layout: missing column(s) {string.Join(", ", missing)}");

        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            async Task<string[]> Text(string name)
            {
                var values = new string?[rows];
                if (fields.TryGetValue(name, out var field))
                    await group.ReadAsync(field, values.AsMemory(), cancellationToken: cancellationToken);
                return values.Select(v => v ?? "").ToArray();
            }
            async Task<double?[]> Real(string name)
            {
                var values = new double?[rows];
                if (fields.TryGetValue(name, out var field))
                    await group.ReadAsync<double>(field, values.AsMemory(), cancellationToken: cancellationToken);
                return values;
            }
            async Task<long[]> Whole(string name)
            {
                var values = new long[rows];
                await group.ReadAsync<long>(fields[name], values.AsMemory(), cancellationToken: cancellationToken);
                return values;
            }

            var postIds = await Text("post_id");
            var domains = await Text("domain");
            var ratios = await Real("score_ratio");
            if (isTrl)
            {
                var (prompts, chosen, rejected, margins) = (await Text("prompt"), await Text("chosen"), await Text("rejected"), await Real("margin"));
                for (var i = 0; i < rows; i++)
                    yield return new DatasetRow(postIds[i], domains[i], prompts[i], chosen[i], rejected[i], ratios[i] ?? 1, margins[i] ?? 0);
            }
            else
            {
                var (history, a, b, labels) = (await Text("history"), await Text("human_ref_A"), await Text("human_ref_B"), await Whole("labels"));
                var (scoreA, scoreB) = (await Whole("score_A"), await Whole("score_B"));
                for (var i = 0; i < rows; i++)
                {
                    var aPreferred = labels[i] == 1;
                    yield return new DatasetRow(postIds[i], domains[i], history[i], aPreferred ? a[i] : b[i], aPreferred ? b[i] : a[i],
                        ratios[i] ?? 1, aPreferred ? scoreA[i] - scoreB[i] : scoreB[i] - scoreA[i]);
                }
            }
        }
    }
}
