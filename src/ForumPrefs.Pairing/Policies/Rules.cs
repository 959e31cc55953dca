namespace ForumPrefs.Pairing.Policies;

/// <summary>Rule names as they appear in rejection reports and dataset cards.</summary>
public static class Rules
{
    public const string LinkPost = "link post (not a self post)";
    public const string EditedPost = "post edited";
    public const string Nsfw = "post marked NSFW";
    public const string CreatedAfterCutoff = "post created after the cutoff";
    public const string PostAuthorDeletedOrModerator = "post author deleted or a moderator";
    public const string PostScoreTooLow = "post score below minimum";
    /// <summary>At post level the post; at comment level the one answer such a post had left.</summary>
    public const string TooFewAnswers = "fewer than two usable answers";

    public const string PostRejected = "its post was removed by a post rule";
    public const string NotTopLevel = "not a top-level comment";
    public const string DeletedAuthor = "comment author deleted";
    public const string Moderator = "comment by a moderator/admin";
    public const string ByPostAuthor = "comment by the post's author";
    public const string ScoreUnknown = "score hidden when read (unknown)";
    public const string EmptyText = "answer text empty";
    public const string CommentScoreTooLow = "comment score below minimum";
    public const string ScoreTooYoung = "score read too soon after the comment was written";
    public const string OverCommentCap = "beyond the per-post comment cap";

    public const string EqualScores = "equal scores";
    public const string PreferredEarlier = "higher-scored answer written earlier";
    public const string RatioTooLow = "score ratio below minimum";
    public const string IdenticalTexts = "identical texts";
    public const string NearDuplicateAnswers = "near-duplicate answers (Jaccard of word shingles at or above the threshold)";
    public const string OverPairCap = "beyond the per-post pair cap";

    public const string NoRankings = "not a conversation tree with rankings (policy ranking)";
    public const string MessageRemoved = "message deleted or failed review";
    public const string Synthetic = "model-written (synthetic) message";
    public const string OtherLanguage = "conversation in another language (--language)";
    public const string PrompterTurn = "a prompter turn (part of the question, not an answer)";
    public const string UnderRemovedMessage = "under a removed or model-written message";
    public const string Unranked = "not ranked among its siblings";
    public const string EqualRanks = "equal ranks";

    public const string TemplateAnswer = "answer copied into more threads than --max-answer-copies (template)";
    public const string ContaminatedQuestion = "question shares an n-gram with a --decontaminate file";
    public const string ContaminatedAnswer = "answer shares an n-gram with a --decontaminate file";
    public const string QuestionLanguage = "question not in a --language language";
    public const string AnswerLanguage = "answer not in a --language language";

    public const string WindowNotObserved = "common window not covered by observations";
    public const string WindowTooShort = "common window shorter than the minimum";
    public const string WindowUndecided = "window votes equal, or closer than the minimum margin";
    public const string WindowEarlierWon = "earlier answer won the window (--window-later-wins)";

    /// <summary>The order rules are checked in, which is the order reports list them.</summary>
    public static readonly string[] Order =
    [
        LinkPost, EditedPost, Nsfw, CreatedAfterCutoff, PostAuthorDeletedOrModerator, PostScoreTooLow,
        ContaminatedQuestion, QuestionLanguage,
        NoRankings, MessageRemoved, Synthetic, OtherLanguage,
        PostRejected, TemplateAnswer, ContaminatedAnswer, AnswerLanguage, NotTopLevel, DeletedAuthor, EmptyText, Moderator, ByPostAuthor, ScoreUnknown, CommentScoreTooLow,
        ScoreTooYoung, OverCommentCap, PrompterTurn, UnderRemovedMessage, Unranked,
        TooFewAnswers, EqualScores, EqualRanks, PreferredEarlier, RatioTooLow, WindowNotObserved, WindowTooShort, WindowUndecided, WindowEarlierWon,
        IdenticalTexts, NearDuplicateAnswers, OverPairCap,
    ];
}
