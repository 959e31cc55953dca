using ForumPrefs.Ingest.Seam;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using System.CommandLine;

namespace ForumPrefs.Cli;

/// <summary>
/// The pairing options, shared by <c>pairs</c> and <c>run</c> so both spell them the same way. What they mean, their
/// checks and each source's default policy are Pairing's (<see cref="PairingPlan"/>) and the sources'.
/// </summary>
internal sealed class PairingOptions(ForumSources sources)
{
    /// <summary>Every option's default is Pairing's.</summary>
    private static readonly PairingRequest Defaults = new();

    private readonly Option<string> _policy = new("--policy")
    {
        Description = "auto (each forum the policy of its source: Stack Exchange sites stackexchange, OpenAssistant trees ranking, Discourse forums discourse, the rest shp), shp, stackexchange, common-window (votes won while both answers were visible; needs vote timelines), ranking (human ranks of sibling replies), or discourse (likes under SHP's time rule, the accepted answer one like ahead)",
        DefaultValueFactory = _ => Defaults.Policy,
    };
    private readonly Option<string?> _forum = new("--forum") { Description = "Only this forum (a name or source/name)", HelpName = "NAME" };
    private readonly Option<double> _minRatio = new("--min-ratio") { Description = "Minimum preferred/other score ratio (2 recommended for training)", DefaultValueFactory = _ => Defaults.MinRatio };
    private readonly Option<int?> _maxPairsPerPost = new("--max-pairs-per-post") { Description = "Keep at most N pairs per post, strongest ratio first", HelpName = "N" };
    private readonly Option<double> _minScoreAge = new("--min-score-age") { Description = "Distrust scores read sooner than this many hours after the comment (0 = off)", HelpName = "HOURS", DefaultValueFactory = _ => Defaults.MinScoreAgeHours };
    private readonly Option<string?> _createdBefore = new("--created-before") { Description = "Only posts created before this date (SHP used 2023-01-01)", HelpName = "DATE" };
    private readonly Option<bool> _noTimeRule = new("--no-time-rule") { Description = "Drop SHP's rule that the preferred answer was written at or after the other" };
    private readonly Option<int> _minPostScore = new("--min-post-score") { Description = "Minimum post score", DefaultValueFactory = _ => Defaults.MinPostScore };
    private readonly Option<int> _minCommentScore = new("--min-comment-score") { Description = "Minimum comment score", DefaultValueFactory = _ => Defaults.MinCommentScore };
    private readonly Option<int> _maxComments = new("--max-comments-per-post") { Description = "Consider at most N comments per post (the highest-scoring)", HelpName = "N", DefaultValueFactory = _ => Defaults.MaxCommentsPerPost };
    private readonly Option<string> _splits = new("--splits") { Description = "train/validation/test shares by post", HelpName = "T/V/T", DefaultValueFactory = _ => Defaults.Splits };
    private readonly Option<string?> _keep = new("--keep")
    {
        Description = $"Switch SHP exclusions off (comma list): {string.Join(", ", PairingPlan.Keepable)}",
        HelpName = "LIST",
    };
    private readonly Option<double> _minWindow = new("--min-window-hours") { Description = "common-window: the window both answers were visible must last this long", HelpName = "HOURS", DefaultValueFactory = _ => Defaults.MinWindowHours };
    private readonly Option<int> _minVoteMargin = new("--min-vote-margin") { Description = "common-window: the preferred answer must have won at least this many more votes in the window", HelpName = "N", DefaultValueFactory = _ => Defaults.MinVoteMargin };
    private readonly Option<bool> _laterWins = new("--window-later-wins") { Description = "common-window: keep only pairs the later answer won (the earlier one is shown higher, so its window wins say less)" };
    private readonly Option<string?> _language = new("--language") { Description = "Only questions and answers detected in these languages (comma list of ISO 639-1 codes, e.g. en,de; OpenAssistant's own tag too); default every language", HelpName = "CODES" };
    private readonly Option<double> _nearThreshold = new("--near-duplicate-threshold") { Description = "Jaccard similarity of word shingles at or above which two texts are near-duplicates (pairs of such answers are dropped; such questions share a split)", HelpName = "J", DefaultValueFactory = _ => Defaults.NearDuplicateThreshold };
    private readonly Option<int> _shingleWords = new("--shingle-words") { Description = "Words per shingle for near-duplicates", HelpName = "N", DefaultValueFactory = _ => Defaults.ShingleWords };
    private readonly Option<int> _minhashHashes = new("--minhash-hashes") { Description = "MinHash functions per text (cut into LSH bands for the threshold)", HelpName = "N", DefaultValueFactory = _ => Defaults.MinHashHashes };
    private readonly Option<int?> _maxAnswerCopies = new("--max-answer-copies") { Description = "Drop answers whose text (near-duplicates included) is in more than N threads: templates, bots, copypasta; default keep them (they are counted either way)", HelpName = "N" };
    private readonly Option<string[]> _decontaminate = new("--decontaminate") { Description = "Remove questions and answers sharing a word n-gram with these evaluation files (JSONL, Parquet or text; a ForumPrefs export's test split works)", HelpName = "FILE", AllowMultipleArgumentsPerToken = true };
    private readonly Option<int> _ngramWords = new("--ngram-words") { Description = "n-gram length in words for --decontaminate (13, as GPT-3 and datatrove)", HelpName = "N", DefaultValueFactory = _ => Defaults.NGramWords };
    private readonly Option<bool> _allReplies = new("--all-replies-are-answers") { Description = "discourse: every later post is an answer, not only the replies to the first post (topics without reply structure)" };
    private readonly Option<string> _seRule = new("--se-rule") { Description = "Stack Exchange scoring: h4 (log2 score, +1 accepted) or shp (later and higher)", DefaultValueFactory = _ => Defaults.StackExchangeRule };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _policy, _forum, _minRatio, _maxPairsPerPost, _minScoreAge, _createdBefore, _noTimeRule, _minPostScore, _minCommentScore, _maxComments, _splits, _keep, _seRule, _minWindow, _minVoteMargin, _laterWins, _language, _allReplies, _nearThreshold, _shingleWords, _minhashHashes, _maxAnswerCopies, _decontaminate, _ngramWords })
            command.Options.Add(option);
    }

    /// <param name="resolve">Makes a file path given on the command line absolute (relative to the working directory).</param>
    public PairingPlan Read(ParseResult parse, Func<string, string> resolve) => PairingPlan.From(new PairingRequest
    {
        Policy = parse.GetValue(_policy)!, Forum = parse.GetValue(_forum), MinRatio = parse.GetValue(_minRatio),
        MaxPairsPerPost = parse.GetValue(_maxPairsPerPost), MinScoreAgeHours = parse.GetValue(_minScoreAge),
        CreatedBefore = OptionValues.Date(parse.GetValue(_createdBefore), "--created-before"), NoTimeRule = parse.GetValue(_noTimeRule),
        MinPostScore = parse.GetValue(_minPostScore), MinCommentScore = parse.GetValue(_minCommentScore),
        MaxCommentsPerPost = parse.GetValue(_maxComments), Splits = parse.GetValue(_splits)!, StackExchangeRule = parse.GetValue(_seRule)!,
        Keep = (parse.GetValue(_keep) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        MinWindowHours = parse.GetValue(_minWindow), MinVoteMargin = parse.GetValue(_minVoteMargin), LaterWinsOnly = parse.GetValue(_laterWins),
        Language = parse.GetValue(_language), AllRepliesAreAnswers = parse.GetValue(_allReplies),
        NearDuplicateThreshold = parse.GetValue(_nearThreshold), ShingleWords = parse.GetValue(_shingleWords), MinHashHashes = parse.GetValue(_minhashHashes),
        MaxAnswerCopies = parse.GetValue(_maxAnswerCopies), Decontaminate = (parse.GetValue(_decontaminate) ?? []).Select(resolve).ToList(), NGramWords = parse.GetValue(_ngramWords),
    }, sources.DefaultPolicies());
}
