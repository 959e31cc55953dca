using ForumPrefs.Pairing.Policies;

namespace ForumPrefs.Pairing.Screens;

/// <summary>
/// The content rules applied to a thread before its policy sees it, each counted under its own name: a question that
/// is contaminated or in another language removes the post (a thread whose language cannot be told is kept); an answer
/// that is a template (with <c>--max-answer-copies</c>), contaminated, or in another language is removed before
/// pairing, so the policy's caps choose among clean answers. It also gives each pair its language (the question's).
/// </summary>
public sealed class ThreadScreen(ContentClusters? clusters, int? maxAnswerCopies, Decontaminator? decontaminator,
    IReadOnlySet<string>? languages, LanguageDetection? detection)
{
    /// <summary>The reporting line for templates whatever <c>--max-answer-copies</c> says.</summary>
    public const int TemplateThreads = 3;

    public static readonly ThreadScreen None = new(null, null, null, null, null);

    // The last question's language: Apply (with --language) and PairLanguage ask for the same thread's in turn.
    private (string Question, string Language)? _lastQuestion;

    /// <summary>The thread with its screened answers, or null when its question is removed.</summary>
    public CandidateThread? Apply(CandidateThread thread, RejectionReport report)
    {
        var question = Screens.ContentClusters.QuestionText(thread.Post.Title, thread.Post.Body);
        // OpenAssistant tags each conversation's language, and its policy filters on the tag: detection would only guess.
        var byDetection = languages is not null && thread.Forum.Source != Core.SourceNames.OpenAssistant;
        var postRule = Contaminated(question, report) ? Rules.ContaminatedQuestion
            : byDetection && ThreadLanguage(question, thread.Answers.Select(a => a.Comment.Body)) is var language && language != LanguageDetection.Undetermined
                && !languages!.Contains(language) ? Rules.QuestionLanguage
            : null;
        if (postRule is not null)
        {
            report.PostsSeen++;
            report.CommentsSeen += thread.Answers.Count;
            report.Count(RuleLevel.Post, postRule);
            if (thread.Answers.Count > 0)
                report.Count(RuleLevel.Comment, Rules.PostRejected, thread.Answers.Count);
            return null;
        }
        List<CandidateAnswer>? kept = null;
        for (var i = 0; i < thread.Answers.Count; i++)
        {
            var answer = thread.Answers[i];
            var rule = AnswerRule(answer, report, byDetection);
            if (rule is not null)
            {
                report.CommentsSeen++;
                report.Count(RuleLevel.Comment, rule);
                kept ??= [.. thread.Answers.Take(i)];
            }
            else
                kept?.Add(answer);
        }
        return kept is null ? thread : thread with { Answers = kept };
    }

    /// <summary>
    /// The language of a thread's pairs: its question's; where the question is too short to tell, that of the question
    /// with the answers paired (still "und" when all of it is short).
    /// </summary>
    public string? PairLanguage(CandidateThread thread, IReadOnlyList<PolicyPair> pairs) => detection is null ? null
        : ThreadLanguage(Screens.ContentClusters.QuestionText(thread.Post.Title, thread.Post.Body),
            pairs.SelectMany(p => new[] { p.Preferred, p.Other }).Select(a => a.Comment.Body).Distinct());

    /// <summary>The question's language; where it is too short to tell, that of the question with the given answers.</summary>
    private string ThreadLanguage(string question, IEnumerable<string> answers)
    {
        var language = QuestionOnlyLanguage(question);
        if (language != LanguageDetection.Undetermined)
            return language;
        var texts = answers.ToList();
        return texts.Count == 0 ? language : LanguageOf(string.Join("\n\n", texts.Prepend(question)));
    }

    private string? AnswerRule(CandidateAnswer answer, RejectionReport report, bool byDetection)
    {
        if (clusters is not null && clusters.CopiesOf(answer.StoreKey) is var copies && copies >= 2)
        {
            report.Note(Notes.CopiedAnswers);
            if (copies >= TemplateThreads)
                report.Note(Notes.TemplateAnswers);
            if (copies > maxAnswerCopies)
                return Rules.TemplateAnswer;
        }
        if (Contaminated(answer.Comment.Body, report))
            return Rules.ContaminatedAnswer;
        // An answer too short to tell (und) is not held against the thread.
        if (byDetection && LanguageOf(answer.Comment.Body) is var language && language != LanguageDetection.Undetermined
            && !languages!.Contains(language))
            return Rules.AnswerLanguage;
        return null;
    }

    private bool Contaminated(string text, RejectionReport report)
    {
        if (decontaminator?.Match(text) is not { } file)
            return false;
        report.Note(Notes.MatchedFile(file.Name));
        return true;
    }

    private string QuestionOnlyLanguage(string question)
    {
        if (_lastQuestion is not { } last || last.Question != question)
            _lastQuestion = last = (question, LanguageOf(question));
        return last.Language;
    }

    private string LanguageOf(string text) => (detection ?? new LanguageDetection()).Detect(text);

    /// <summary>What is counted without being removed, as reports and cards name it.</summary>
    public static class Notes
    {
        public const string CopiedAnswers = "answers whose text is in 2 or more threads";
        public const string TemplateAnswers = "answers whose text is in 3 or more threads (templates)";
        public const string ClusteredPosts = "posts in a cluster of near-duplicate questions (one split per cluster)";
        public const string MovedPosts = "posts whose split is their question cluster's, not their own";
        public static string MatchedFile(string name) => $"texts removed for sharing an n-gram with {name}";
    }
}
