using ForumPrefs.Core;
using System.Text.Json;

namespace ForumPrefs.Datasets;

/// <summary>
/// A dataset appears whole or not at all: an export is written into a hidden sibling folder and renamed into place
/// only after its files, plots and card are complete, with a marker naming the store it came from. An existing
/// non-empty folder is replaced only when it is a previous export of the same store, or with --force; a killed
/// export leaves at most a hidden partial folder, removed by the next export to the same place.
/// </summary>
public static class ExportFolder
{
    public const string MarkerName = ".forumprefs-export.json";

    /// <summary>
    /// A split's files in a forum's folder: <c>train.parquet</c>, or its shards <c>train-00000-of-00003.parquet</c> … in
    /// order (the names Hugging Face's own uploads use), when the split outgrew <c>--max-file-mb</c>.
    /// </summary>
    public static IReadOnlyList<string> SplitFiles(string forumFolder, Split split, string extension = ".parquet")
    {
        var single = Path.Combine(forumFolder, split.Name() + extension);
        if (File.Exists(single))
            return [single];
        return Directory.Exists(forumFolder)
            ? Directory.EnumerateFiles(forumFolder, $"{split.Name()}-*-of-*{extension}").Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public static string ShardName(Split split, int index, int count, string extension) =>
        $"{split.Name()}-{index:D5}-of-{count:D5}{extension}";

    private sealed record Marker(string StoreId, string Layout, bool Complete);

    public static async Task<T> WriteAsync<T>(string folder, string storeId, string layout, bool force, Func<string, Task<T>> write)
    {
        var final = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(final) ?? throw new DatasetException($"cannot export to '{folder}'");
        var name = Path.GetFileName(final);
        CheckTarget(final, storeId, force);
        Directory.CreateDirectory(parent);
        foreach (var stale in Directory.EnumerateDirectories(parent, $".{name}.partial-*"))
            Directory.Delete(stale, recursive: true);

        var partial = Path.Combine(parent, $".{name}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(partial);
        try
        {
            var result = await write(partial);
            await File.WriteAllTextAsync(Path.Combine(partial, MarkerName),
                JsonSerializer.Serialize(new Marker(storeId, layout, true)));
            Replace(partial, final);
            return result;
        }
        finally
        {
            if (Directory.Exists(partial))
                Directory.Delete(partial, recursive: true);
        }
    }

    /// <summary>Throws unless <paramref name="folder"/> is a complete export (its card and marker written last).</summary>
    public static void RequireComplete(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DatasetException($"no dataset at '{folder}'");
        var marker = Read(folder);
        if (marker is not { Complete: true } || !File.Exists(Path.Combine(folder, "README.md")))
            throw new DatasetException($"'{folder}' is not a complete ForumPrefs export (no card and completion marker): export it again with 'forumprefs export'");
    }

    private static void CheckTarget(string final, string storeId, bool force)
    {
        if (File.Exists(final))
            throw new DatasetException($"--out '{final}' is a file, not a folder");
        if (force || !Directory.Exists(final) || !Directory.EnumerateFileSystemEntries(final).Any())
            return;
        if (Read(final)?.StoreId != storeId)
            throw new ExportTargetException($"--out '{final}' is not empty and is not an earlier export of this store: choose another folder, or pass --force to replace it");
    }

    private static Marker? Read(string folder)
    {
        var path = Path.Combine(folder, MarkerName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<Marker>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Moves the finished export into place; an earlier one is moved aside first and removed after.</summary>
    private static void Replace(string partial, string final)
    {
        string? aside = null;
        if (Directory.Exists(final))
        {
            aside = $"{partial}.old";
            Directory.Move(final, aside);
        }
        Directory.Move(partial, final);
        if (aside is not null)
            Directory.Delete(aside, recursive: true);
    }
}

/// <summary>An export target the user must choose differently (or --force).</summary>
public sealed class ExportTargetException(string message) : Exception(message);
