namespace ForumPrefs.Training.Pretrained;

/// <summary>
/// A config.json checked against the weights it came with, before any model is built: the sizes a config claims decide
/// how much memory building takes (a 167 KB folder claiming n_embd 1536 took 1 GB), so every size the weights show
/// must match, and every other size must be sane.
/// </summary>
public static class ConfigCheck
{
    /// <summary>Beyond these no real checkpoint goes; past them a config is a mistake or an attack.</summary>
    private const int MaxHidden = 16_384, MaxLayers = 256, MaxVocabulary = 1_000_000, MaxPositions = 1_048_576;

    public static void Against(BaseConfig config, IReadOnlyDictionary<string, long[]> shapes, string where)
    {
        Sane(config, where);
        var (prefix, embeddings, positions, layerPrefix, feedForward) = config.Family == BaseFamily.Bert
            ? ("bert.", "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "encoder.layer.", "intermediate.dense.weight")
            : ("transformer.", "wte.weight", "wpe.weight", "h.", "mlp.c_fc.weight");
        var names = shapes.Keys.ToDictionary(k => k.StartsWith(prefix, StringComparison.Ordinal) ? k[prefix.Length..] : k, k => shapes[k]);
        void Expect(string name, params long[] expected)
        {
            if (names.TryGetValue(name, out var shape) && !shape.SequenceEqual(expected))
                throw new TrainingException($"'{where}' does not match its weights: {name} is [{string.Join(", ", shape)}], " +
                    $"config.json implies [{string.Join(", ", expected)}]");
        }
        Expect(embeddings, config.VocabSize, config.Hidden);
        Expect(positions, config.MaxPositions, config.Hidden);
        if (config.Family == BaseFamily.Bert)
            Expect("embeddings.token_type_embeddings.weight", config.TypeVocabSize, config.Hidden);
        var layers = names.Keys.Where(k => k.StartsWith(layerPrefix, StringComparison.Ordinal))
            .Select(k => k[layerPrefix.Length..].Split('.')[0]).Distinct().Count();
        if (layers > 0 && layers != config.Layers)
            throw new TrainingException($"'{where}' does not match its weights: it claims {config.Layers} layers, the weights hold {layers}");
        for (var i = 0; i < layers; i++)
        {
            if (config.Family == BaseFamily.Bert)
                Expect($"{layerPrefix}{i}.{feedForward}", config.Intermediate, config.Hidden);
            else
                Expect($"{layerPrefix}{i}.{feedForward}", config.Hidden, config.Intermediate); // GPT-2's Conv1D is [in, out]
        }
    }

    /// <summary>Sizes that can be checked without weights: positive, bounded, heads dividing the hidden size.</summary>
    public static void Sane(BaseConfig config, string where)
    {
        void Within(string name, long value, long most)
        {
            if (value < 1 || value > most)
                throw new TrainingException($"'{where}': {name} is {value}; it must be between 1 and {most:N0}");
        }
        Within("the hidden size", config.Hidden, MaxHidden);
        Within("the number of layers", config.Layers, MaxLayers);
        Within("the number of attention heads", config.Heads, config.Hidden);
        Within("the vocabulary size", config.VocabSize, MaxVocabulary);
        Within("the feed-forward size", config.Intermediate, 4L * MaxHidden);
        Within("the number of positions", config.MaxPositions, MaxPositions);
        if (config.Family == BaseFamily.Bert)
            Within("type_vocab_size", config.TypeVocabSize, 1024);
        if (config.Hidden % config.Heads != 0)
            throw new TrainingException($"'{where}': the hidden size {config.Hidden} is not a multiple of its {config.Heads} attention heads");
        foreach (var (name, p) in new[] { ("dropout", config.Dropout), ("attention dropout", config.AttentionDropout) })
            if (!(p >= 0 && p < 1))
                throw new TrainingException($"'{where}': {name} {p} must be at least 0 and below 1");
        if (!(config.LayerNormEps > 0 && config.LayerNormEps < 1))
            throw new TrainingException($"'{where}': the layer-norm epsilon {config.LayerNormEps} must be between 0 and 1");
    }
}
