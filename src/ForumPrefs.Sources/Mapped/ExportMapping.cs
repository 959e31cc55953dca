using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using YamlDotNet.Serialization;

namespace ForumPrefs.Sources.Mapped;

/// <summary>
/// How to read threads out of someone's own export (JSON, JSON Lines or CSV) without new code: where each field is,
/// and how threads are laid out. <see cref="Layout"/> <c>threads</c>: each record is a whole thread, its replies nested
/// under it (as lists, or objects keyed by id), or listed flat with parent ids. <c>records</c>: each record is one
/// message carrying its thread's id and its parent's; the question is the record without a parent (or the one
/// <see cref="Question"/> names). Mappings are YAML or JSON; some are built in (<see cref="BuiltIn"/>).
/// </summary>
public sealed record ExportMapping
{
    public const string ThreadsLayout = "threads";
    public const string RecordsLayout = "records";

    /// <summary>The mapping's name (its file's, or the built-in one's), for messages and checkpoints.</summary>
    [JsonIgnore] public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>The kind of forum stored (reddit, stackexchange, discourse, or the forum's own): it picks the pairing policy.</summary>
    public string Source { get; init; } = "";
    /// <summary>The forum's name, the same for every thread; or <see cref="ForumField"/>, read from each record.</summary>
    public string? Forum { get; init; }
    public string? ForumField { get; init; }
    /// <summary>json (one thread, or a list of threads), jsonl (one record a line), csv (a header row), or auto (by the file's ending).</summary>
    public string Format { get; init; } = "auto";
    public string Layout { get; init; } = ThreadsLayout;
    /// <summary>json: where the list of threads is inside the document (default: the document is one thread, or a list of them).</summary>
    public string? Threads { get; init; }
    /// <summary>records: the field holding each record's thread id.</summary>
    public string? Thread { get; init; }
    public QuestionTest? Question { get; init; }
    public FieldMap Post { get; init; } = new();
    /// <summary>The answers' fields; the post's fields where left out.</summary>
    public FieldMap? Comment { get; init; }
    /// <summary>plain, or html (converted to text as saved pages are).</summary>
    public string Text { get; init; } = "plain";
    /// <summary>Prefixes taken off ids, parents and thread ids (Reddit's t1_ and t3_ fullnames).</summary>
    public IReadOnlyList<string> IdPrefixes { get; init; } = [];

    [JsonIgnore] public FieldMap Answers => Comment ?? Post;

    public static IReadOnlyList<string> BuiltIn { get; } = typeof(ExportMapping).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".yaml".Length]).Order(StringComparer.Ordinal).ToList();

    private const string ResourcePrefix = "ForumPrefs.Sources.Mapped.Mappings.";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>A built-in mapping by name, or a mapping file (.yaml, .yml or .json).</summary>
    public static ExportMapping Load(string nameOrPath)
    {
        if (BuiltIn.Contains(nameOrPath))
        {
            using var resource = typeof(ExportMapping).Assembly.GetManifestResourceStream(ResourcePrefix + nameOrPath + ".yaml")!;
            return Parse(new StreamReader(resource).ReadToEnd(), nameOrPath, yaml: true);
        }
        if (!File.Exists(nameOrPath))
            throw new MappingException($"mapping '{nameOrPath}' is neither a file nor a built-in mapping ({string.Join(", ", BuiltIn)})");
        var yaml = !nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        return Parse(File.ReadAllText(nameOrPath), Path.GetFileNameWithoutExtension(nameOrPath), yaml);
    }

    public static ExportMapping Parse(string text, string name, bool yaml)
    {
        ExportMapping? mapping;
        try
        {
            // YAML is read as the JSON it stands for, so both spellings go through one reader with one set of checks.
            var json = yaml ? YamlAsJson(text) : text;
            mapping = JsonSerializer.Deserialize<ExportMapping>(json, Json);
        }
        catch (Exception ex) when (ex is JsonException or YamlDotNet.Core.YamlException or NotSupportedException)
        {
            throw new MappingException($"mapping {name}: {ex.Message.ReplaceLineEndings(" ")}");
        }
        return (mapping ?? throw new MappingException($"mapping {name} is empty")).Checked(name);
    }

    private static string YamlAsJson(string yaml)
    {
        var graph = new DeserializerBuilder().Build().Deserialize(new StringReader(yaml));
        return new SerializerBuilder().JsonCompatible().Build().Serialize(graph ?? new Dictionary<string, object>());
    }

    /// <summary>Every mistake a mapping can hold is found here, before any file is read.</summary>
    private ExportMapping Checked(string name)
    {
        void Fail(string problem) => throw new MappingException($"mapping {name}: {problem}");
        if (string.IsNullOrWhiteSpace(Source))
            Fail("'source' is required (reddit, stackexchange, discourse, or your forum's own name)");
        if (string.IsNullOrWhiteSpace(Forum) == string.IsNullOrWhiteSpace(ForumField))
            Fail("give either 'forum' (one name for every thread) or 'forum_field' (a field of each record)");
        if (Format is not ("auto" or "json" or "jsonl" or "csv"))
            Fail($"'format' must be auto, json, jsonl or csv, not '{Format}'");
        if (Text is not ("plain" or "html"))
            Fail($"'text' must be plain or html, not '{Text}'");
        if (Post.Id is null || Answers.Id is null)
            Fail("'post.id' and 'comment.id' are required");
        if (Post.Body is null && Post.Title is null)
            Fail("the post needs 'title' or 'body'");
        if (Answers.Body is null || Answers.Score is null || Answers.Created is null)
            Fail("answers need 'body', 'score' and 'created'");
        if (Layout == ThreadsLayout)
        {
            if (Post.Replies is null)
                Fail("layout threads needs 'post.replies': where a thread's replies are");
            if (Format == "csv")
                Fail("a CSV holds one record a row: use layout records with 'thread' and 'parent'");
        }
        else if (Layout == RecordsLayout)
        {
            if (Thread is null)
                Fail("layout records needs 'thread': the field holding each record's thread id");
            if (Answers.Parent is null && Question is null)
                Fail("layout records needs 'comment.parent' or 'question' to tell the question from the answers");
            if (Threads is not null || Post.Replies is not null)
                Fail("'threads' and 'post.replies' belong to layout threads");
        }
        else
        {
            Fail($"'layout' must be threads or records, not '{Layout}'");
        }
        if (Question is not null && string.IsNullOrWhiteSpace(Question.Field))
            Fail("'question.field' is required");
        foreach (var (field, path) in Post.Paths().Concat(Answers.Paths()).Append(("thread", Thread)).Append(("forum_field", ForumField)))
            if (path is not null && !FieldPath.IsValid(path))
                Fail($"'{field}' has an empty step in its path '{path}'");
        return this with { Name = name };
    }

    /// <summary>The file format of <paramref name="path"/>: as the mapping says, or told by its ending.</summary>
    public string FormatOf(string path)
    {
        if (Format != "auto")
            return Format;
        var name = path.ToLowerInvariant();
        foreach (var compressed in new[] { ".gz", ".zst", ".bz2", ".xz" })
            if (name.EndsWith(compressed, StringComparison.Ordinal))
                name = name[..^compressed.Length];
        return name.EndsWith(".csv", StringComparison.Ordinal) ? "csv"
            : name.EndsWith(".jsonl", StringComparison.Ordinal) || name.EndsWith(".ndjson", StringComparison.Ordinal) ? "jsonl"
            : "json";
    }
}
