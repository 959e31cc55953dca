using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForumPrefs.Training.Pretrained;

/// <summary>The families of Hugging Face checkpoints <c>train --base</c> fine-tunes.</summary>
public enum BaseFamily
{
    /// <summary>BERT and models of its architecture (MiniLM, all-MiniLM-L6-v2): WordPiece, pooled [CLS] → classifier.</summary>
    Bert,
    /// <summary>GPT-2 and its sizes: byte-level BPE, last non-padding token → score.</summary>
    Gpt2,
}

/// <summary>
/// The shape of a Hugging Face checkpoint, read from its <c>config.json</c> (BERT names hidden_size and
/// num_hidden_layers, GPT-2 n_embd and n_layer). <see cref="Raw"/> keeps the whole file, so a saved reward model
/// carries every field the base had.
/// </summary>
public sealed record BaseConfig(BaseFamily Family, string ModelType, int VocabSize, int Hidden, int Layers, int Heads, int Intermediate,
    int MaxPositions, int TypeVocabSize, double LayerNormEps, double Dropout, double AttentionDropout, JsonObject Raw)
{
    public const string FileName = "config.json";

    public static BaseConfig Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new TrainingException($"'{folder}' is not a Hugging Face model folder (config.json is missing)");
        JsonObject raw;
        try
        {
            raw = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new TrainingException($"'{path}' is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new TrainingException($"'{path}' is not valid JSON ({ex.Message})");
        }
        return Parse(raw, path);
    }

    public static BaseConfig Parse(JsonObject raw, string where)
    {
        var modelType = (raw["model_type"] as JsonValue)?.TryGetValue<string>(out var type) == true ? type
            : throw new TrainingException($"'{where}' names no model_type (a Hugging Face config.json has one)");
        // Each value read by its kind: "n_layer": "2" is a one-line error, not an InvalidOperationException.
        int? OptionalInt(string name) => raw[name] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<int>(out var whole) => whole,
            JsonValue value when value.TryGetValue<double>(out var real) && real == Math.Floor(real) && Math.Abs(real) < int.MaxValue => (int)real,
            var other => throw new TrainingException($"'{where}': {name} must be a whole number, not {other.ToJsonString()}"),
        };
        int Int(string name, int? fallback = null) => OptionalInt(name) ?? fallback ?? throw new TrainingException($"'{where}' lacks {name}");
        double? OptionalReal(string name) => raw[name] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<double>(out var real) => real,
            var other => throw new TrainingException($"'{where}': {name} must be a number, not {other.ToJsonString()}"),
        };
        double Real(string name, double fallback) => OptionalReal(name) ?? fallback;
        string? Activation(string name) => raw[name] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            var other => throw new TrainingException($"'{where}': {name} must be a string, not {other.ToJsonString()}"),
        };
        bool? Flag(string name) => raw[name] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
            var other => throw new TrainingException($"'{where}': {name} must be true or false, not {other.ToJsonString()}"),
        };
        switch (modelType)
        {
            case "bert":
                if (Activation("hidden_act") is { } act && act != "gelu")
                    throw new TrainingException($"'{where}': hidden_act '{act}' is not supported (BERT checkpoints use gelu)");
                if (Activation("position_embedding_type") is { } positions && positions != "absolute")
                    throw new TrainingException($"'{where}': position_embedding_type '{positions}' is not supported (absolute only)");
                return new BaseConfig(BaseFamily.Bert, modelType, Int("vocab_size"), Int("hidden_size"), Int("num_hidden_layers"),
                    Int("num_attention_heads"), Int("intermediate_size"), Int("max_position_embeddings"), Int("type_vocab_size", 2),
                    Real("layer_norm_eps", 1e-12), OptionalReal("classifier_dropout") ?? Real("hidden_dropout_prob", 0.1),
                    Real("attention_probs_dropout_prob", 0.1), raw);
            case "gpt2":
                if (Activation("activation_function") is { } fn && fn != "gelu_new")
                    throw new TrainingException($"'{where}': activation_function '{fn}' is not supported (GPT-2 checkpoints use gelu_new)");
                foreach (var option in new[] { "scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn" })
                    if (Flag(option) == true)
                        throw new TrainingException($"'{where}': {option} is not supported (GPT-2's own checkpoints leave it off)");
                if (Flag("scale_attn_weights") == false)
                    throw new TrainingException($"'{where}': scale_attn_weights false is not supported (attention is scaled by √head size)");
                var hidden = Int("n_embd");
                return new BaseConfig(BaseFamily.Gpt2, modelType, Int("vocab_size"), hidden, Int("n_layer"), Int("n_head"),
                    OptionalInt("n_inner") ?? 4 * hidden, Int("n_positions"), 0, Real("layer_norm_epsilon", 1e-5),
                    Real("resid_pdrop", 0.1), Real("attn_pdrop", 0.1), raw);
            default:
                throw new TrainingException($"'{where}': model_type '{modelType}' is not supported (bert and gpt2 are: BERT, MiniLM, GPT-2)");
        }
    }

    public string Describe() => $"{ModelType}, {Layers} layers, hidden {Hidden}, {Heads} heads";
}
