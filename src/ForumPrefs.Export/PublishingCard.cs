using ForumPrefs.Export.Redaction;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Screens;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForumPrefs.Export;

/// <summary>
/// What a publisher must know, in the dataset card: the licences the export holds and what they oblige, the personal
/// data redacted, the languages, and the content rules (near-duplicates, templates, question clusters,
/// decontamination), all from what was exported.
/// </summary>
internal static class PublishingCard
{
    /// <summary>The card's <c>license:</c> id: the one licence every item has, CC BY-SA 4.0 for CC BY-SA of several versions, else other.</summary>
    public static string HubLicense(IReadOnlyList<ForumExport> exports)
    {
        var licences = exports.SelectMany(e => e.Licences.Keys).Distinct().ToList();
        if (licences.Count == 0)
            return "other";
        var ids = licences.Select(Licences.HubId).Distinct().ToList();
        if (ids is [{ } only])
            return only;
        return licences.All(l => l.StartsWith("CC BY-SA", StringComparison.Ordinal)) ? "cc-by-sa-4.0" : "other";
    }

    /// <summary>The languages the pairs are in (ISO 639-1), most rows first, without "und".</summary>
    public static IReadOnlyList<string> Languages(IReadOnlyList<ForumExport> exports) => exports
        .SelectMany(e => e.Languages).GroupBy(l => l.Key).Select(g => (g.Key, Rows: g.Sum(x => x.Value)))
        .Where(l => l.Key != Pairing.Screens.LanguageDetection.Undetermined).OrderByDescending(l => l.Rows).ThenBy(l => l.Key, StringComparer.Ordinal)
        .Select(l => l.Key).ToList();

    public static void Write(StringBuilder card, IReadOnlyList<ForumExport> exports, Datasets.ExportOptions options)
    {
        Licence(card, exports);
        PersonalData(card, exports, options);
        LanguageSection(card, exports);
        ContentRules(card, exports);
    }

    private static void Licence(StringBuilder card, IReadOnlyList<ForumExport> exports)
    {
        card.AppendLine("## Licence").AppendLine();
        var forums = exports.Where(e => e.Licences.Count > 0).ToList();
        var mixed = forums.SelectMany(e => e.Licences.Keys).Distinct().Count() > 1;
        card.AppendLine(mixed
            ? "This export **mixes licences**: each item (question or answer) keeps its own, forum by forum, as below. Publish it only on terms every part allows."
            : "Every item (question or answer) of this export has the licence below.").AppendLine();
        card.AppendLine("| forum | licence | items |").AppendLine("|---|---|---|");
        foreach (var e in forums)
            foreach (var (licence, items) in e.Licences.OrderByDescending(l => l.Value))
                card.AppendLine($"| {e.Folder} | {DatasetCard.Cell(licence)} | {items:N0} |"); // the licence text comes from the dump
        card.AppendLine();
        var all = forums.SelectMany(e => e.Licences.Keys).ToHashSet();
        if (all.Any(Licences.NeedsAttribution))
            card.AppendLine("**CC BY-SA** (Stack Exchange): whoever publishes or redistributes this data must (1) attribute every item: its author " +
                "(`author_*`, `question_author`), a link to it (`url_*`, `question_url`) and its licence (`license_*`, `question_license`), " +
                "all in the rows of this export; (2) say that the texts were changed: ForumPrefs turned their HTML into text and replaced " +
                "personal data by placeholders; (3) share alike: the dataset and anything adapted from it must be published under CC BY-SA " +
                "(items under 2.5 or 3.0 may go out under 4.0, which those versions allow).").AppendLine();
        if (all.Contains(Licences.RedditNone))
            card.AppendLine("**Reddit** grants no licence to its users' posts: they belong to their authors, and redistribution is governed by " +
                "Reddit's User Agreement and Data API terms. Check them before you publish this data.").AppendLine();
        if (all.Contains(Licences.ApacheOasst))
            card.AppendLine("**OpenAssistant** (oasst1) is Apache-2.0: keep its licence and notice with the data.").AppendLine();
        if (all.Any(Licences.IsForumTerms))
            card.AppendLine("**Other forums** set their own terms (Discourse sites in their terms of service): check each before you publish.").AppendLine();
        if (exports.Any(e => e.Attribution))
            card.AppendLine($"Attribution columns are in the files of: {string.Join(", ", exports.Where(e => e.Attribution).Select(e => e.Folder))}.").AppendLine();
    }

    private static void PersonalData(StringBuilder card, IReadOnlyList<ForumExport> exports, Datasets.ExportOptions options)
    {
        card.AppendLine("## Personal data").AppendLine();
        var kinds = PiiKinds.Parse(options.Redact);
        if (kinds.Count == 0)
        {
            card.AppendLine("Not redacted (`--redact none`): e-mail addresses, phone numbers, IP addresses and user mentions are as their authors wrote them.").AppendLine();
            return;
        }
        card.AppendLine($"Redacted (`--redact {options.Redact}`): {string.Join(", ", kinds.Order().Select(k => $"{PiiKinds.Name(k)} → `{PiiKinds.Placeholder(k)}`"))}. " +
            "Code and URLs are left as written. Counts are of texts' items, each text counted once per post.").AppendLine();
        card.AppendLine($"| forum | {string.Join(" | ", kinds.Order().Select(PiiKinds.Name))} |").AppendLine($"|---|{string.Concat(kinds.Select(_ => "---|"))}");
        foreach (var e in exports)
            card.AppendLine($"| {e.Folder} | {string.Join(" | ", kinds.Order().Select(k => e.Redacted.GetValueOrDefault(k).ToString("N0", CultureInfo.InvariantCulture)))} |");
        card.AppendLine();
    }

    private static void LanguageSection(StringBuilder card, IReadOnlyList<ForumExport> exports)
    {
        card.AppendLine("## Languages").AppendLine();
        card.AppendLine("Each pair's `language` is its question's (with the paired answers where the question alone is too short), detected by " +
            $"Lingua among {Pairing.Screens.LanguageDetection.WebLanguages.Length} common web languages, links left out (ISO 639-1; `und` under " +
            $"{Pairing.Screens.LanguageDetection.MinChars} characters of text).").AppendLine();
        card.AppendLine("| forum | language | pairs |").AppendLine("|---|---|---|");
        foreach (var e in exports)
            foreach (var (language, rows) in e.Languages.OrderByDescending(l => l.Value).ThenBy(l => l.Key, StringComparer.Ordinal))
                card.AppendLine($"| {e.Folder} | {language} | {rows:N0} |");
        card.AppendLine();
    }

    private static void ContentRules(StringBuilder card, IReadOnlyList<ForumExport> exports)
    {
        card.AppendLine("## Near-duplicates, templates and contamination").AppendLine();
        var screens = exports.Select(e => JsonNode.Parse(e.Run.Options)?["screens"]).OfType<JsonObject>().FirstOrDefault();
        if (screens is null)
        {
            card.AppendLine("These pairs were built before ForumPrefs had content rules: rebuild them with `forumprefs pairs` to apply them.").AppendLine();
            return;
        }
        card.AppendLine($"Near-duplicates: MinHash LSH over {screens["shingle_words"]}-word shingles, {screens["minhash_hashes"]} hashes, Jaccard ≥ {screens["near_duplicate_threshold"]}. " +
            $"Pairs of near-duplicate answers {((bool?)screens["near_duplicate_pairs"] == true ? "are dropped" : "are kept (`--keep near-duplicates`)")}; " +
            $"near-duplicate questions {((bool?)screens["question_clusters"] == true ? "go to one split together, across forums" : "are split independently (`--keep question-clusters`)")}; " +
            $"answers copied into many threads {(screens["max_answer_copies"] is { } max ? $"are dropped beyond {max} threads" : "are kept and counted")}.").AppendLine();
        card.AppendLine("| forum | what | count |").AppendLine("|---|---|---|");
        foreach (var e in exports)
        {
            var report = JsonSerializer.Deserialize<RejectionReport>(e.Run.Report, PairingJob.Json);
            foreach (var (name, count) in (report?.Noted ?? []).OrderBy(n => n.Key, StringComparer.Ordinal))
                card.AppendLine($"| {e.Folder} | {name} | {count:N0} |");
        }
        card.AppendLine();
        if (screens["decontamination"] is JsonObject decontamination)
        {
            card.AppendLine($"Decontaminated against these files ({decontamination["ngram_words"]}-word n-grams); what they removed is in each forum's rejection report:").AppendLine();
            card.AppendLine("| file | sha256 | texts | n-grams |").AppendLine("|---|---|---|---|");
            foreach (var file in decontamination["files"]!.AsArray().OfType<JsonObject>())
                card.AppendLine($"| {DatasetCard.Cell((string?)file["name"] ?? "")} | `{file["sha256"]}` | {file["texts"]} | {file["ngrams"]} |");
            card.AppendLine();
        }
    }
}
