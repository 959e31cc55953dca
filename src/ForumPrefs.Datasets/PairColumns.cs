using ForumPrefs.Core;
using Parquet.Schema;

namespace ForumPrefs.Datasets;

/// <summary>
/// One column of an export: its Parquet field and how to read its value from a pair. Columns are typed so each
/// can be written as one contiguous block per row group.
/// </summary>
public abstract record PairColumn(string Name)
{
    public abstract Field Field { get; }
}

public sealed record TextColumn(string Name, Func<PreferencePair, string, string> Value) : PairColumn(Name)
{
    public DataField Data { get; } = new DataField<string>(Name, false);
    public override Field Field => Data;
}

public sealed record LongColumn(string Name, Func<PreferencePair, long> Value) : PairColumn(Name)
{
    public DataField Data { get; } = new DataField<long>(Name, false);
    public override Field Field => Data;
}

public sealed record DoubleColumn(string Name, Func<PreferencePair, double?> Value) : PairColumn(Name)
{
    public DataField Data { get; } = new DataField<double?>(Name, true);
    public override Field Field => Data;
}

/// <summary>Chat messages in TRL's conversational format: a Parquet list of {role, content} structs (a JSON list of objects).</summary>
public sealed record MessagesColumn(string Name, Func<PreferencePair, IReadOnlyList<ChatTurn>> Value) : PairColumn(Name)
{
    public override Field Field { get; } = new ListField(Name,
        new StructField("element", new DataField<string>("role", false), new DataField<string>("content", false)));
}

/// <summary>The columns of each layout. The second argument of a text column is the split's domain (forum_split).</summary>
public static class Layouts
{
    public static IReadOnlyList<PairColumn> Shp(bool includeAuthors, bool includeAttribution, bool includeWindow = false)
    {
        var columns = new List<PairColumn>
        {
            new TextColumn("post_id", (p, _) => p.PostId),
            new TextColumn("domain", (_, domain) => domain),
            new DoubleColumn("upvote_ratio", p => p.UpvoteRatio),
            new TextColumn("history", (p, _) => p.History),
            new TextColumn("c_root_id_A", (p, _) => p.A.Id),
            new TextColumn("c_root_id_B", (p, _) => p.B.Id),
            new LongColumn("created_at_utc_A", p => p.A.Created.ToUnixTimeSeconds()),
            new LongColumn("created_at_utc_B", p => p.B.Created.ToUnixTimeSeconds()),
            new LongColumn("score_A", p => p.A.Score),
            new LongColumn("score_B", p => p.B.Score),
            new TextColumn("human_ref_A", (p, _) => p.A.Text),
            new TextColumn("human_ref_B", (p, _) => p.B.Text),
            new LongColumn("labels", p => p.Label),
            new DoubleColumn("seconds_difference", p => p.SecondsDifference),
            new DoubleColumn("score_ratio", p => p.ScoreRatio),
            new DoubleColumn("created_difference_seconds", p => p.CreatedDifferenceSeconds),
            // After SHP's 15 columns, so they stay first and in order.
            new TextColumn("language", (p, _) => p.Language ?? Undetermined),
        };
        if (includeAuthors || includeAttribution)
        {
            columns.Add(new TextColumn("author_A", (p, _) => p.A.Author));
            columns.Add(new TextColumn("author_B", (p, _) => p.B.Author));
        }
        if (includeAttribution)
        {
            columns.Add(new TextColumn("attribution", (p, _) => p.PostUrl ?? ""));
            columns.AddRange(AttributionColumns(p => p.Attribution?.A(p), p => p.Attribution?.B(p), "_A", "_B"));
        }
        if (includeWindow)
        {
            // Votes each answer won while both were visible (policy common-window), in A/B order like the scores.
            columns.Add(new LongColumn("window_votes_A", p => WindowVotes(p, p.PreferredIsA)));
            columns.Add(new LongColumn("window_votes_B", p => WindowVotes(p, !p.PreferredIsA)));
            columns.Add(new LongColumn("window_seconds", p => p.Window?.Seconds ?? 0));
        }
        return columns;
    }

    /// <summary>
    /// Licence and link of the question and of each answer (the answers' authors are their own columns): what a
    /// publisher of CC BY-SA content needs to attribute every item.
    /// </summary>
    private static IEnumerable<PairColumn> AttributionColumns(Func<PreferencePair, Attribution?> first, Func<PreferencePair, Attribution?> second,
        string firstName, string secondName, bool prefix = false)
    {
        string Name(string column, string side) => prefix ? side + column : column + side;
        yield return new TextColumn("question_license", (p, _) => p.Attribution?.Question.License ?? "");
        yield return new TextColumn("question_url", (p, _) => p.Attribution?.Question.Url ?? "");
        yield return new TextColumn("question_author", (p, _) => p.Attribution?.Question.Author ?? "");
        yield return new TextColumn(Name("license", firstName), (p, _) => first(p)?.License ?? "");
        yield return new TextColumn(Name("license", secondName), (p, _) => second(p)?.License ?? "");
        yield return new TextColumn(Name("url", firstName), (p, _) => first(p)?.Url ?? "");
        yield return new TextColumn(Name("url", secondName), (p, _) => second(p)?.Url ?? "");
    }

    /// <summary>The language column's value where none was detected (ISO 639-2 "undetermined").</summary>
    public const string Undetermined = "und";

    /// <summary>A pair's id: 63 bits of XxHash64 over its forum, post and the two answers' ids (the same in every export).</summary>
    public static long RowId(PreferencePair p) => (long)(System.IO.Hashing.XxHash64.HashToUInt64(
        System.Text.Encoding.UTF8.GetBytes($"{p.Forum.Source}\n{p.Forum.Name}\n{p.PostId}\n{p.Preferred.Id}\n{p.Other.Id}")) >> 1);

    private static long WindowVotes(PreferencePair p, bool preferred) =>
        p.Window is { } w ? (preferred ? w.PreferredVotes : w.OtherVotes) : 0;

    /// <summary>
    /// TRL's layout in TRL's conversational format: the same columns, with the prompt the conversation as messages and
    /// chosen and rejected one assistant message each, as TRL's reward and DPO trainers take them.
    /// </summary>
    public static IReadOnlyList<PairColumn> TrlConversational(bool includeAuthors, bool includeAttribution, bool includeWindow = false) =>
        Trl(includeAuthors, includeAttribution, includeWindow).Select(c => c.Name switch
        {
            "prompt" => new MessagesColumn(c.Name, p => p.Turns),
            "chosen" => new MessagesColumn(c.Name, p => [new ChatTurn(ChatRoles.Assistant, p.Preferred.Text)]),
            "rejected" => new MessagesColumn(c.Name, p => [new ChatTurn(ChatRoles.Assistant, p.Other.Text)]),
            _ => c,
        }).ToList();

    public static IReadOnlyList<PairColumn> Trl(bool includeAuthors, bool includeAttribution, bool includeWindow = false)
    {
        var columns = new List<PairColumn>
        {
            new TextColumn("prompt", (p, _) => p.History),
            new TextColumn("chosen", (p, _) => p.Preferred.Text),
            new TextColumn("rejected", (p, _) => p.Other.Text),
            new DoubleColumn("score_ratio", p => p.ScoreRatio),
            new DoubleColumn("margin", p => p.Margin),
            new TextColumn("post_id", (p, _) => p.PostId),
            new TextColumn("domain", (_, domain) => domain),
            // RewardBench's own columns, so its runner scores any model on this export as it is: the forum as the
            // subset, and a stable row id from the post and the two answers.
            new TextColumn("subset", (p, _) => p.Forum.Name),
            new LongColumn("id", RowId),
            new TextColumn("language", (p, _) => p.Language ?? Undetermined),
        };
        if (includeAuthors || includeAttribution)
        {
            columns.Add(new TextColumn("chosen_author", (p, _) => p.Preferred.Author));
            columns.Add(new TextColumn("rejected_author", (p, _) => p.Other.Author));
        }
        if (includeAttribution)
        {
            columns.Add(new TextColumn("attribution", (p, _) => p.PostUrl ?? ""));
            columns.AddRange(AttributionColumns(p => p.Attribution?.Preferred, p => p.Attribution?.Other, "chosen_", "rejected_", prefix: true));
        }
        if (includeWindow)
        {
            columns.Add(new LongColumn("window_votes_chosen", p => WindowVotes(p, true)));
            columns.Add(new LongColumn("window_votes_rejected", p => WindowVotes(p, false)));
            columns.Add(new LongColumn("window_seconds", p => p.Window?.Seconds ?? 0));
        }
        return columns;
    }
}
