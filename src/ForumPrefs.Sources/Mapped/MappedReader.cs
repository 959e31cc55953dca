using ForumPrefs.Core;
using ForumPrefs.Sources.Html;
using ForumPrefs.Sources.RedditDump;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForumPrefs.Sources.Mapped;

/// <summary>
/// Reads questions and answers out of any JSON, JSON Lines or CSV export through an <see cref="ExportMapping"/>,
/// compressed or not. Each unit (a thread in the threads layout, a record in the records layout) comes with its
/// number, so an ingest can checkpoint between units and resume after one. A bad unit is counted under its kind, with
/// the first examples kept, and never stops the file.
/// </summary>
public sealed class MappedReader(ExportMapping mapping) : ISkipCounter
{
    private const int MaxExamples = 5;
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1000, AllowTrailingCommas = true };

    public Dictionary<string, long> Skipped { get; } = [];
    public List<string> Examples { get; } = [];
    /// <summary>Units read so far, skipped ones included (for a checkpoint).</summary>
    public long Units { get; private set; }

    /// <summary>The items of every unit after the first <paramref name="skipUnits"/>, each with its unit's number.</summary>
    public IEnumerable<(long Unit, MappedItem Item)> Read(string path, long skipUnits = 0)
    {
        Units = 0;
        foreach (var record in ReadUnits(path))
        {
            Units++;
            if (Units <= skipUnits)
                continue;
            if (record is null)
                continue; // counted where it was read
            var items = mapping.Layout == ExportMapping.ThreadsLayout ? Thread(record) : Record(record);
            foreach (var item in items)
                yield return (Units, item);
        }
    }

    /// <summary>The file's units as JSON nodes; null for a unit that could not be read (already counted).</summary>
    private IEnumerable<JsonNode?> ReadUnits(string path)
    {
        using var input = DumpInput.Open(path);
        using var stream = input.Decompressed();
        var format = mapping.FormatOf(path);
        var units = format switch
        {
            "csv" => CsvRecords.Read(stream),
            "jsonl" => Lines(stream),
            _ => Document(stream),
        };
        using var e = units.GetEnumerator();
        while (true)
        {
            JsonNode? unit;
            try
            {
                if (!e.MoveNext())
                    yield break;
                unit = e.Current;
            }
            catch (Exception ex) when (ex is JsonException or IOException or InvalidDataException or CsvHelper.CsvFormatException)
            {
                Count(MappedSkips.Unreadable, $"{Path.GetFileName(path)} after unit {Units}: {ex.Message.ReplaceLineEndings(" ")}");
                yield break;
            }
            yield return unit;
        }
    }

    private IEnumerable<JsonNode?> Lines(Stream stream)
    {
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.All(char.IsWhiteSpace))
                continue;
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line, NodeOptions, DocumentOptions);
            }
            catch (JsonException ex)
            {
                Count(MappedSkips.MalformedJson, $"line {Units + 1}: {ex.Message}");
                node = null;
            }
            yield return node is JsonObject ? node : Unusable(node);
        }
    }

    private JsonNode? Unusable(JsonNode? node)
    {
        if (node is not null)
            Count(MappedSkips.NotARecord, $"unit {Units + 1} is a JSON {node.GetValueKind()}, not an object");
        return null;
    }

    /// <summary>One thread, a list of them, or the list at <see cref="ExportMapping.Threads"/>.</summary>
    private IEnumerable<JsonNode?> Document(Stream stream)
    {
        var root = JsonNode.Parse(stream, NodeOptions, DocumentOptions);
        var list = mapping.Threads is { } at ? FieldPath.Node(root, at) : root;
        if (list is JsonArray array)
        {
            foreach (var node in array)
                yield return node is JsonObject ? node : Unusable(node);
        }
        else if (list is JsonObject obj)
        {
            // A list of threads keyed by id, or the document is the thread itself.
            if (mapping.Threads is not null)
                foreach (var (_, node) in obj)
                    yield return node is JsonObject ? node : Unusable(node);
            else
                yield return obj;
        }
        else
        {
            Count(MappedSkips.NotARecord, mapping.Threads is null ? "the document is not an object or a list" : $"'{mapping.Threads}' is not a list");
        }
    }

    /// <summary>Threads layout: the post, then every reply under it, nested or listed flat with parent ids.</summary>
    private IEnumerable<MappedItem> Thread(JsonNode thread)
    {
        var forum = Forum(thread);
        if (forum is null)
            return [];
        if (!TryPost(thread, null, out var post, out var observed))
            return [];
        var items = new List<MappedItem>();
        var a = mapping.Answers;
        // Depth-first with an explicit stack: threads nest hundreds deep, and a recursion would not say where it failed.
        var pending = new Stack<(JsonNode Node, string? Key, string Parent, int Depth)>();
        PushReplies(pending, FieldPath.Node(thread, mapping.Post.Replies), post.Id, 0);
        while (pending.TryPop(out var next))
        {
            if (!TryComment(next.Node, next.Key, post.Id, out var comment, out var seen))
            {
                SkipReplies(FieldPath.Node(next.Node, a.Replies), $"thread {post.Id}: the replies under a skipped reply");
                continue;
            }
            var parent = Id(FieldPath.Text(next.Node, a.Parent));
            comment = parent is null || parent == post.Id
                ? comment with { ParentId = next.Parent, Depth = next.Depth }
                : comment with { ParentId = parent, Depth = parent == next.Parent ? next.Depth : -1 };
            comment = comment with { IsSubmitter = comment.Author == post.Author && comment.Author != DeletedContent.Deleted };
            items.Add(new MappedItem(forum, null, comment, seen ?? observed));
            PushReplies(pending, FieldPath.Node(next.Node, a.Replies), comment.Id, comment.Depth < 0 ? -1 : comment.Depth + 1);
        }
        items.Insert(0, new MappedItem(forum, post with { NumComments = items.Count }, null, observed));
        return items;
    }

    private static void PushReplies(Stack<(JsonNode, string?, string, int)> pending, JsonNode? replies, string parent, int depth)
    {
        // Pushed in reverse so they come out in the file's order.
        var list = replies switch
        {
            JsonArray array => array.Select(n => (n, (string?)null)).ToList(),
            JsonObject obj => obj.Select(p => (p.Value, (string?)p.Key)).ToList(),
            _ => [],
        };
        for (var i = list.Count - 1; i >= 0; i--)
            if (list[i].Item1 is JsonObject node)
                pending.Push((node, list[i].Item2, parent, depth));
    }

    /// <summary>Records layout: the record is the question, or an answer in its thread.</summary>
    private IEnumerable<MappedItem> Record(JsonNode record)
    {
        var forum = Forum(record);
        if (forum is null)
            return [];
        var parent = Id(FieldPath.Text(record, mapping.Answers.Parent));
        var id = Id(FieldPath.Text(record, mapping.Answers.Id));
        var isQuestion = mapping.Question is { } q
            ? FieldPath.Text(record, q.Field) == q.EqualsValue
            : parent is null || parent == id;
        // A question may leave its thread id out (a dump's submissions have no link_id): it is its own thread.
        if ((Id(FieldPath.Text(record, mapping.Thread)) ?? (isQuestion ? id : null)) is not { } thread)
        {
            Count(MappedSkips.MissingThread, $"record {Units}: no '{mapping.Thread}'");
            return [];
        }
        if (isQuestion)
            return TryPost(record, thread, out var post, out var observed) ? [new MappedItem(forum, post, null, observed)] : [];
        if (!TryComment(record, null, thread, out var comment, out var seen))
            return [];
        var topLevel = parent is null || parent == thread;
        return [new MappedItem(forum, null, comment with { ParentId = topLevel ? thread : parent!, Depth = topLevel ? 0 : -1 }, seen)];
    }

    private string? Forum(JsonNode record)
    {
        var forum = mapping.Forum ?? FieldPath.Text(record, mapping.ForumField);
        if (string.IsNullOrWhiteSpace(forum))
            Count(MappedSkips.MissingForum, $"unit {Units}: no '{mapping.ForumField}'");
        return string.IsNullOrWhiteSpace(forum) ? null : forum;
    }

    private bool TryPost(JsonNode record, string? threadId, out Post post, out DateTimeOffset? observed)
    {
        var f = mapping.Post;
        post = null!;
        observed = null;
        var id = threadId ?? Id(FieldPath.Text(record, f.Id));
        if (id is null)
            return Count(MappedSkips.MissingId, $"unit {Units}: a post without '{f.Id}'");
        var body = Text(FieldPath.Text(record, f.Body)) ?? "";
        var title = Text(FieldPath.Text(record, f.Title)) ?? FirstLine(body);
        if (!FieldPath.TryTime(record, f.Created, out var created) || created is null)
            return Count(MappedSkips.BadTime, $"post {id}: '{FieldPath.Text(record, f.Created)}' in '{f.Created}' is not a time");
        FieldPath.TryTime(record, f.Observed, out observed); // an unreadable scrape time (ConvoKit writes -1) falls back to the file's
        if (FieldPath.Flag(record, f.Deleted))
            body = DeletedContent.Deleted;
        // A question without text is a link post (SHP's rules leave those out, counted); its replies still have their thread.
        var isSelf = f.IsSelf is null ? body.Length > 0 : FieldPath.Flag(record, f.IsSelf);
        post = new Post(id, title, body, Author(record, f), Score(record, f) ?? 0, FieldPath.Number(record, f.UpvoteRatio), created.Value,
            Edited(record, f, created.Value), FieldPath.Flag(record, f.Over18), isSelf, null, FieldPath.Text(record, f.Url), 0);
        return true;
    }

    private bool TryComment(JsonNode record, string? key, string postId, out Comment comment, out DateTimeOffset? observed)
    {
        var f = mapping.Answers;
        comment = null!;
        observed = null;
        if (Id(FieldPath.Text(record, f.Id, key)) is not { } id)
            return Count(MappedSkips.MissingId, $"thread {postId}: a reply without '{f.Id}'");
        var body = Text(FieldPath.Text(record, f.Body));
        if (body is null && FieldPath.Node(record, f.Body) is null)
            return Count(MappedSkips.MissingText, $"reply {id}: no '{f.Body}'");
        if (Score(record, f) is not { } score)
            return Count(MappedSkips.MissingScore, $"reply {id}: no number in '{f.Score}'");
        if (!FieldPath.TryTime(record, f.Created, out var created) || created is null)
            return Count(MappedSkips.BadTime, $"reply {id}: '{FieldPath.Text(record, f.Created)}' in '{f.Created}' is not a time");
        FieldPath.TryTime(record, f.Observed, out observed);
        if (FieldPath.Flag(record, f.Deleted))
            body = DeletedContent.Deleted;
        comment = new Comment(id, postId, postId, 0, body ?? "", Author(record, f), score, created.Value, Edited(record, f, created.Value),
            null, false, false);
        return true;
    }

    private static string Author(JsonNode record, FieldMap f) => FieldPath.Text(record, f.Author) ?? DeletedContent.Deleted;

    private static int? Score(JsonNode record, FieldMap f) =>
        FieldPath.Number(record, f.Score) is { } n ? (int)Math.Clamp(Math.Round(n), int.MinValue, int.MaxValue) : null;

    /// <summary>A time, or true (edited, when unknown: the creation time), or false / 0 / nothing (never edited).</summary>
    private static DateTimeOffset? Edited(JsonNode record, FieldMap f, DateTimeOffset created)
    {
        var text = FieldPath.Text(record, f.Edited);
        if (text is null || text is "false" or "0")
            return null;
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
            return created;
        return FieldPath.TryTime(record, f.Edited, out var time) && time > created ? time : null;
    }

    private string? Text(string? value) =>
        value is null ? null : mapping.Text == "html" ? HtmlText.ToText(value) : value;

    private string? Id(string? value)
    {
        if (value is null)
            return null;
        foreach (var prefix in mapping.IdPrefixes)
            if (value.StartsWith(prefix, StringComparison.Ordinal))
                return value[prefix.Length..];
        return value;
    }

    private static string FirstLine(string body)
    {
        var line = body.Split('\n', 2)[0].Trim();
        return line.Length > 120 ? line[..117] + "..." : line;
    }

    private bool Count(string kind, string example, long records = 1)
    {
        Skipped[kind] = Skipped.GetValueOrDefault(kind) + records;
        if (Examples.Count < MaxExamples)
            Examples.Add($"{kind}: {example}");
        return false;
    }

    /// <summary>The replies nested under a skipped one, at every depth: they are skipped with it, and counted.</summary>
    private void SkipReplies(JsonNode? replies, string example)
    {
        long n = 0;
        var pending = new Stack<JsonNode?>([replies]);
        while (pending.TryPop(out var node))
            foreach (var child in node switch { JsonArray a => a.ToList(), JsonObject o => o.Select(p => p.Value).ToList(), _ => [] })
            {
                n++;
                pending.Push(FieldPath.Node(child, mapping.Answers.Replies));
            }
        if (n > 0)
            Count(MappedSkips.UnderBadRecord, example, n);
    }
}
