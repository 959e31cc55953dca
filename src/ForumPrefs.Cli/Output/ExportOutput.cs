using ForumPrefs.Cli.Jobs;
using ForumPrefs.Core;

namespace ForumPrefs.Cli.Output;

/// <summary>What <c>export</c> and <c>run</c> print about a written dataset.</summary>
internal static class ExportOutput
{
    public static void Print(CliIO io, ExportJob.Result result)
    {
        foreach (var forum in result.Forums)
        {
            io.Out.WriteLine($"{forum.Folder}: {forum.TotalRows:N0} pairs ({forum.Rows[Split.Train]:N0} train, " +
                $"{forum.Rows[Split.Validation]:N0} validation, {forum.Rows[Split.Test]:N0} test) " +
                $"in {Path.Combine(result.Folder, forum.Folder)}");
            if (forum.SkippedDeleted > 0)
                io.Error.WriteLine($"{forum.Folder}: {forum.SkippedDeleted:N0} pairs left out because their text was deleted since they were built");
        }
        io.Out.WriteLine($"dataset card: {result.Card}");
    }
}
