using ForumPrefs.Store;
using System.Text.Json.Nodes;

namespace ForumPrefs.Pairing.Screens;

/// <summary>
/// The content rules made ready for one pairing run over a store: the store-wide near-duplicate clusters (questions
/// and answers), the decontamination index and the language detector, with the splits that follow the question
/// clusters. Built once, then used for every forum, so clusters hold across forums.
/// </summary>
public sealed class PairingScreens
{
    public required ThreadScreen Thread { get; init; }
    public required SplitAssigner Splits { get; init; }
    public ContentClusters? Clusters { get; init; }
    public Decontaminator? Decontaminator { get; init; }
    public required ScreenOptions Options { get; init; }

    /// <summary>No content rules: the policy's own, and plain splits (tests, the benchmark).</summary>
    public static PairingScreens None(SplitAssigner splits) =>
        new() { Thread = ThreadScreen.None, Splits = splits, Options = new ScreenOptions { NearDuplicatePairs = false, QuestionClusters = false } };

    public static PairingScreens Build(ForumStore store, PairingPlan plan, Action<long>? progress = null)
    {
        var options = plan.Screens;
        // Built whatever the options say: copied answers and question clusters are counted even where nothing is dropped.
        var clusters = ContentClusters.Build(store, options.NearDuplicates, progress);
        var decontaminator = options.Decontaminate.Count > 0 ? new Decontaminator(options.Decontaminate, options.NGramWords) : null;
        return new PairingScreens
        {
            Thread = new ThreadScreen(clusters, options.MaxAnswerCopies, decontaminator, options.Languages, new LanguageDetection()),
            Splits = options.QuestionClusters ? plan.Splits.WithClusters(clusters.QuestionRepresentatives) : plan.Splits,
            Clusters = clusters,
            Decontaminator = decontaminator,
            Options = options,
        };
    }

    /// <summary>What a run stores about its screens, beside its policy's options.</summary>
    public JsonObject Describe() => new()
    {
        ["near_duplicate_pairs"] = Options.NearDuplicatePairs,
        ["question_clusters"] = Options.QuestionClusters,
        ["shingle_words"] = Options.NearDuplicates.ShingleWords,
        ["minhash_hashes"] = Options.NearDuplicates.Hashes,
        ["near_duplicate_threshold"] = Options.NearDuplicates.Threshold,
        ["max_answer_copies"] = Options.MaxAnswerCopies,
        ["languages"] = Options.Languages is null ? null : new JsonArray([.. Options.Languages.Order().Select(l => (JsonNode)l)]),
        ["decontamination"] = Decontaminator is null ? null : new JsonObject
        {
            ["ngram_words"] = Decontaminator.NGramWords,
            ["files"] = new JsonArray([.. Decontaminator.Files.Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Name, ["sha256"] = f.Sha256, ["texts"] = f.Texts, ["ngrams"] = f.NGrams, ["bad_lines"] = f.BadLines,
            })]),
        },
    };
}
