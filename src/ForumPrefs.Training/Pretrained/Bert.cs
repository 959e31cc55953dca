using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForumPrefs.Training.Pretrained;

// BERT as Hugging Face's transformers lays it out, module by module, so the state dict's keys are the checkpoint's
// keys (bert.embeddings.word_embeddings.weight, bert.encoder.layer.0.attention.self.query.weight, …) and weights load
// and save by name. Submodules are registered by hand because the names (self, LayerNorm) are not C# field names, and
// RegisterComponents is emptied so TorchSharp does not register the fields a second time under their C# names.

/// <summary><c>BertForSequenceClassification</c> with one label: pooled [CLS] → dropout → classifier.</summary>
public sealed class BertReward : nn.Module<Tensor, Tensor, Tensor>, ILayeredReward
{
    private readonly BertModel _bert;
    private readonly Dropout _dropout;
    private readonly Linear _classifier;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public BertReward(BaseConfig config) : base(nameof(BertReward))
    {
        register_module("bert", _bert = new BertModel(config));
        register_module("dropout", _dropout = nn.Dropout(config.Dropout));
        register_module("classifier", _classifier = nn.Linear(config.Hidden, 1));
        Initialise.Head(_classifier);
    }

    public BertModel Bert => _bert;

    /// <param name="ids">[batch, length]: [CLS] question [SEP] answer [SEP], padded.</param>
    /// <param name="padding">[batch, length], true where a position is padding.</param>
    public override Tensor forward(Tensor ids, Tensor padding) => Upper(Lower(ids, padding, 0), padding, 0);

    public Tensor Lower(Tensor ids, Tensor padding, int layers) =>
        _bert.Lower(ids, BertModel.Keep(~padding), BertModel.SegmentsAfterFirstSeparator(ids, _bert.SeparatorId), layers);

    public Tensor Upper(Tensor hidden, Tensor padding, int from)
    {
        var (_, pooled) = _bert.Upper(hidden, BertModel.Keep(~padding), from, firstOnly: true);
        return _classifier.forward(_dropout.forward(pooled)).squeeze(-1);
    }
}

/// <summary><c>BertModel</c>: embeddings, encoder and pooler.</summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertEmbeddings _embeddings;
    private readonly ModuleList<BertLayer> _layers;
    private readonly Linear _pooler;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public BertModel(BaseConfig config) : base(nameof(BertModel))
    {
        register_module("embeddings", _embeddings = new BertEmbeddings(config));
        var encoder = new Container("encoder");
        encoder.Add("layer", _layers = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new BertLayer(config)).ToArray()));
        register_module("encoder", encoder);
        var pooler = new Container("pooler");
        pooler.Add("dense", _pooler = nn.Linear(config.Hidden, config.Hidden));
        register_module("pooler", pooler);
    }

    /// <summary>The [SEP] id the segments are counted from (set by the tokenizer; BERT's vocab.txt has it at 102).</summary>
    public long SeparatorId { get; set; } = 102;

    public override Tensor forward(Tensor ids, Tensor attentionMask) =>
        Encode(ids, attentionMask, SegmentsAfterFirstSeparator(ids, SeparatorId)).LastHidden;

    /// <param name="attentionMask">[batch, length], true (or 1) on real tokens.</param>
    /// <param name="tokenTypes">[batch, length] segment ids (0 question, 1 answer).</param>
    /// <returns>The last hidden state [batch, length, hidden] and the pooled [CLS] [batch, hidden].</returns>
    public (Tensor LastHidden, Tensor Pooled) Encode(Tensor ids, Tensor attentionMask, Tensor tokenTypes)
    {
        var keep = Keep(attentionMask);
        return Upper(Lower(ids, keep, tokenTypes, 0), keep, 0);
    }

    /// <summary>[batch, 1, 1, length]: the keys each position may attend to.</summary>
    internal static Tensor Keep(Tensor attentionMask) => attentionMask.to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1);

    /// <summary>The embeddings and the first <paramref name="layers"/> layers.</summary>
    internal Tensor Lower(Tensor ids, Tensor keep, Tensor tokenTypes, int layers)
    {
        var x = _embeddings.forward(ids, tokenTypes);
        for (var i = 0; i < layers; i++)
            x = _layers[i].forward(x, keep);
        return x;
    }

    /// <summary>The layers from <paramref name="from"/> on, and the pooler.</summary>
    /// <param name="firstOnly">
    /// Only the pooled [CLS] is wanted: the last layer computes [CLS]'s row alone (its query, attention over every key,
    /// and the feed-forward), the same value for a fraction of the work; LastHidden is then [batch, 1, hidden].
    /// </param>
    internal (Tensor LastHidden, Tensor Pooled) Upper(Tensor x, Tensor keep, int from, bool firstOnly = false)
    {
        for (var i = from; i < _layers.Count; i++)
            x = firstOnly && i == _layers.Count - 1 ? _layers[i].First(x, keep) : _layers[i].forward(x, keep);
        return (x, tanh(_pooler.forward(x[.., 0])));
    }

    /// <summary>Hugging Face's token_type_ids for a pair: 0 up to and including the first [SEP], 1 after it.</summary>
    public static Tensor SegmentsAfterFirstSeparator(Tensor ids, long separatorId)
    {
        var separators = ids.eq(separatorId).to_type(ScalarType.Int64);
        return (separators.cumsum(1) - separators).clamp_max(1);
    }
}

internal sealed class BertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding _words, _positions, _types;
    private readonly LayerNorm _norm;
    private readonly Dropout _dropout;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public BertEmbeddings(BaseConfig config) : base(nameof(BertEmbeddings))
    {
        register_module("word_embeddings", _words = nn.Embedding(config.VocabSize, config.Hidden));
        register_module("position_embeddings", _positions = nn.Embedding(config.MaxPositions, config.Hidden));
        register_module("token_type_embeddings", _types = nn.Embedding(Math.Max(1, config.TypeVocabSize), config.Hidden));
        register_module("LayerNorm", _norm = nn.LayerNorm(config.Hidden, config.LayerNormEps));
        register_module("dropout", _dropout = nn.Dropout(config.Dropout));
    }

    public override Tensor forward(Tensor ids, Tensor tokenTypes)
    {
        var positions = arange(ids.shape[1], device: ids.device);
        return _dropout.forward(_norm.forward(_words.forward(ids) + _positions.forward(positions) + _types.forward(tokenTypes)));
    }
}

internal sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly SelfAttention _attention;
    private readonly DenseNorm _attentionOutput;
    private readonly Linear _intermediate;
    private readonly DenseNorm _output;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public BertLayer(BaseConfig config) : base(nameof(BertLayer))
    {
        var attention = new Container("attention");
        attention.Add("self", _attention = new SelfAttention(config));
        attention.Add("output", _attentionOutput = new DenseNorm(config.Hidden, config.Hidden, config));
        register_module("attention", attention);
        var intermediate = new Container("intermediate");
        intermediate.Add("dense", _intermediate = nn.Linear(config.Hidden, config.Intermediate));
        register_module("intermediate", intermediate);
        register_module("output", _output = new DenseNorm(config.Intermediate, config.Hidden, config));
    }

    public override Tensor forward(Tensor x, Tensor keep) => Rest(_attention.forward(x, x, keep), x);

    /// <summary>The first position's output alone, [batch, 1, hidden]: it attends to every key; nothing else needs the other rows.</summary>
    public Tensor First(Tensor x, Tensor keep)
    {
        var first = x[.., ..1];
        return Rest(_attention.forward(first, x, keep), first);
    }

    // What follows attention is position by position.
    private Tensor Rest(Tensor attention, Tensor x)
    {
        var attended = _attentionOutput.forward(attention, x);
        return _output.forward(nn.functional.gelu(_intermediate.forward(attended)), attended);
    }
}

/// <summary>query, key and value projections and scaled dot-product attention over the unmasked keys.</summary>
internal sealed class SelfAttention : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Linear _query, _key, _value;
    private readonly int _heads;
    private readonly double _dropout;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public SelfAttention(BaseConfig config) : base(nameof(SelfAttention))
    {
        register_module("query", _query = nn.Linear(config.Hidden, config.Hidden));
        register_module("key", _key = nn.Linear(config.Hidden, config.Hidden));
        register_module("value", _value = nn.Linear(config.Hidden, config.Hidden));
        _heads = config.Heads;
        _dropout = config.AttentionDropout;
    }

    /// <param name="queries">The positions whose outputs are wanted ([batch, n, hidden]: all of <paramref name="x"/>, or its first).</param>
    /// <param name="x">[batch, length, hidden]: the keys and values.</param>
    public override Tensor forward(Tensor queries, Tensor x, Tensor keep)
    {
        var (batch, hidden) = (x.shape[0], x.shape[2]);
        Tensor Heads(Tensor t) => t.view(batch, t.shape[1], _heads, hidden / _heads).transpose(1, 2);
        var attended = nn.functional.scaled_dot_product_attention(Heads(_query.forward(queries)), Heads(_key.forward(x)), Heads(_value.forward(x)),
            keep, training ? _dropout : 0);
        return attended.transpose(1, 2).reshape(batch, queries.shape[1], hidden);
    }
}

/// <summary>dense → dropout → LayerNorm(· + residual): BERT's attention.output and output blocks.</summary>
internal sealed class DenseNorm : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear _dense;
    private readonly LayerNorm _norm;
    private readonly Dropout _dropout;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public DenseNorm(int inputs, int outputs, BaseConfig config) : base(nameof(DenseNorm))
    {
        register_module("dense", _dense = nn.Linear(inputs, outputs));
        register_module("LayerNorm", _norm = nn.LayerNorm(outputs, config.LayerNormEps));
        register_module("dropout", _dropout = nn.Dropout(config.Dropout));
    }

    public override Tensor forward(Tensor x, Tensor residual) => _norm.forward(_dropout.forward(_dense.forward(x)) + residual);
}
