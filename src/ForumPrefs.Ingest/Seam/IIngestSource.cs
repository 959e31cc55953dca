using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Seam;

/// <summary>
/// A source that brings named inputs (files, or a site's address) into the store: <c>forumprefs ingest NAME</c> when
/// <see cref="IngestVerb"/> says so, and <c>forumprefs run --RUNOPTION INPUT...</c> when <see cref="RunOption"/> is set.
/// Its options are declared once (<see cref="Options"/>); <see cref="Settings"/> checks them and says what is wrong
/// in one line (<see cref="ForumPrefs.Sources.SourceUsageException"/>). Its ingest is checkpointed: run again, it resumes.
/// </summary>
public interface IIngestSource : IForumSource
{
    IReadOnlyList<string> Aliases { get; }
    /// <summary>What the inputs are, for --help.</summary>
    string Inputs { get; }
    /// <summary>The formats it reads (file endings, or "URL").</summary>
    IReadOnlyList<string> Formats { get; }
    IReadOnlyList<SourceOption> Options { get; }
    /// <summary>False where the source has a verb of its own (a crawl): no <c>ingest NAME</c> is made for it.</summary>
    bool IngestVerb { get; }
    /// <summary>The option of <c>run</c> that names its inputs; null when <c>run</c> does not offer it.</summary>
    string? RunOption { get; }
    /// <summary>Its order in <c>run</c> when several are given (votes after the posts they belong to).</summary>
    int RunOrder { get; }
    /// <summary>What progress is counted in (files, MB, topics).</summary>
    string ProgressUnit { get; }

    /// <summary>The options' values, checked; a mistake is a <see cref="ForumPrefs.Sources.SourceUsageException"/>.</summary>
    object Settings(SourceArguments arguments);
    /// <summary>The name <c>run</c> gives the dataset folder it exports to.</summary>
    string DatasetName(IReadOnlyList<string> inputs, object settings);
    Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, object settings, SourceContext context,
        CancellationToken cancellationToken);
}
