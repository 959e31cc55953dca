using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;

namespace ForumPrefs.Training.Pretrained;

/// <summary>
/// The tokenizer of a Hugging Face model folder, from its own files through Microsoft.ML.Tokenizers: WordPiece
/// (<c>vocab.txt</c>, with <c>tokenizer_config.json</c>'s lower-casing) for BERT, byte-level BPE (<c>vocab.json</c> +
/// <c>merges.txt</c>) for GPT-2.
/// </summary>
public static class BaseTokenizer
{
    /// <summary>The files a saved reward model carries along so Python's AutoTokenizer loads the same tokenizer.</summary>
    public static readonly string[] Files =
        ["vocab.txt", "vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"];

    public static InputFormat Load(string folder, BaseConfig config) => config.Family switch
    {
        BaseFamily.Bert => Bert(folder, config),
        BaseFamily.Gpt2 => Gpt2(folder, config),
        _ => throw new ArgumentOutOfRangeException(nameof(config)),
    };

    private static InputFormat Bert(string folder, BaseConfig config)
    {
        var vocabulary = Required(folder, "vocab.txt", "WordPiece");
        var settings = Settings(folder);
        var lower = settings?["do_lower_case"]?.GetValue<bool>() ?? true;
        // Hugging Face strips accents when it lower-cases unless strip_accents says otherwise.
        var stripAccents = settings?["strip_accents"]?.GetValue<bool?>() ?? lower;
        var tokenizer = BertTokenizer.Create(vocabulary, new BertOptions
        {
            LowerCaseBeforeTokenization = lower,
            RemoveNonSpacingMarks = stripAccents,
            IndividuallyTokenizeCjk = settings?["tokenize_chinese_chars"]?.GetValue<bool>() ?? true,
        });
        // Accents are marks only once decomposed (É → E + ◌́), as Hugging Face's NFD step does; composed, É is [UNK].
        return new InputFormat(text => [.. tokenizer.EncodeToIds(stripAccents ? text.Normalize(NormalizationForm.FormD) : text, addSpecialTokens: false)],
            [tokenizer.ClassificationTokenId], [tokenizer.SeparatorTokenId], [tokenizer.SeparatorTokenId], config.VocabSize,
            "[CLS] question [SEP] answer [SEP] (a BERT text pair: token_type_ids 0 then 1)");
    }

    private static InputFormat Gpt2(string folder, BaseConfig config)
    {
        var vocabulary = Required(folder, "vocab.json", "byte-level BPE");
        var merges = Required(folder, "merges.txt", "byte-level BPE");
        using var vocabularyStream = File.OpenRead(vocabulary);
        using var mergesStream = File.OpenRead(merges);
        var tokenizer = CodeGenTokenizer.Create(vocabularyStream, mergesStream, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false);
        return new InputFormat(text => [.. tokenizer.EncodeToIds(text)], [], [.. tokenizer.EncodeToIds("\n\n")], [], config.VocabSize,
            "question \\n\\n answer (GPT-2 byte-level BPE; the reward is read at the last token)");
    }

    private static string Required(string folder, string name, string kind)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : throw new TrainingException($"'{folder}' has no {name} (the {kind} tokenizer's file)");
    }

    private static JsonObject? Settings(string folder)
    {
        var path = Path.Combine(folder, "tokenizer_config.json");
        try
        {
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
        }
        catch (JsonException ex)
        {
            throw new TrainingException($"'{path}' is not valid JSON ({ex.Message})");
        }
    }
}
