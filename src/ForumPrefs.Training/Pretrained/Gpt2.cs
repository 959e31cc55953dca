using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForumPrefs.Training.Pretrained;

// GPT-2 as Hugging Face's transformers lays it out (transformer.wte, transformer.h.0.attn.c_attn, …, score), so weights
// load and save by name. Inputs are right-padded: causal attention keeps every real token from seeing the padding.

/// <summary><c>GPT2ForSequenceClassification</c> with one label: the last non-padding token's state → score (no bias).</summary>
public sealed class Gpt2Reward : nn.Module<Tensor, Tensor, Tensor>, ILayeredReward
{
    private readonly Gpt2Model _transformer;
    private readonly Linear _score;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public Gpt2Reward(BaseConfig config) : base(nameof(Gpt2Reward))
    {
        register_module("transformer", _transformer = new Gpt2Model(config));
        register_module("score", _score = nn.Linear(config.Hidden, 1, hasBias: false));
        Initialise.Head(_score);
    }

    public Gpt2Model Transformer => _transformer;

    /// <param name="ids">[batch, length]: question, separator, answer; padded on the right.</param>
    /// <param name="padding">[batch, length], true where a position is padding.</param>
    public override Tensor forward(Tensor ids, Tensor padding) => Upper(Lower(ids, padding, 0), padding, 0);

    public Tensor Lower(Tensor ids, Tensor padding, int layers) => _transformer.Lower(ids, layers);

    public Tensor Upper(Tensor hidden, Tensor padding, int from)
    {
        hidden = _transformer.Upper(hidden, from);
        var last = ((~padding).sum(1) - 1).clamp_min(0); // index of each row's last real token
        var states = hidden.gather(1, last.view(-1, 1, 1).expand(-1, 1, hidden.shape[2])).squeeze(1);
        return _score.forward(states).squeeze(-1);
    }
}

/// <summary><c>GPT2Model</c>: token and position embeddings, the blocks and the final LayerNorm.</summary>
public sealed class Gpt2Model : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _tokens, _positions;
    private readonly Dropout _dropout;
    private readonly ModuleList<Gpt2Block> _blocks;
    private readonly LayerNorm _final;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public Gpt2Model(BaseConfig config) : base(nameof(Gpt2Model))
    {
        register_module("wte", _tokens = nn.Embedding(config.VocabSize, config.Hidden));
        register_module("wpe", _positions = nn.Embedding(config.MaxPositions, config.Hidden));
        register_module("drop", _dropout = nn.Dropout(config.Dropout));
        register_module("h", _blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new Gpt2Block(config)).ToArray()));
        register_module("ln_f", _final = nn.LayerNorm(config.Hidden, config.LayerNormEps));
    }

    /// <returns>The last hidden state [batch, length, hidden] (after ln_f).</returns>
    public override Tensor forward(Tensor ids) => Upper(Lower(ids, 0), 0);

    /// <summary>The embeddings and the first <paramref name="layers"/> blocks.</summary>
    internal Tensor Lower(Tensor ids, int layers)
    {
        var x = _dropout.forward(_tokens.forward(ids) + _positions.forward(arange(ids.shape[1], device: ids.device)));
        for (var i = 0; i < layers; i++)
            x = _blocks[i].forward(x);
        return x;
    }

    /// <summary>The blocks from <paramref name="from"/> on, and the final LayerNorm.</summary>
    internal Tensor Upper(Tensor x, int from)
    {
        for (var i = from; i < _blocks.Count; i++)
            x = _blocks[i].forward(x);
        return _final.forward(x);
    }
}

internal sealed class Gpt2Block : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm _norm1, _norm2;
    private readonly Gpt2Attention _attention;
    private readonly Conv1D _up, _down;
    private readonly Dropout _dropout;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public Gpt2Block(BaseConfig config) : base(nameof(Gpt2Block))
    {
        register_module("ln_1", _norm1 = nn.LayerNorm(config.Hidden, config.LayerNormEps));
        register_module("attn", _attention = new Gpt2Attention(config));
        register_module("ln_2", _norm2 = nn.LayerNorm(config.Hidden, config.LayerNormEps));
        var mlp = new Container("mlp");
        mlp.Add("c_fc", _up = new Conv1D(config.Hidden, config.Intermediate));
        mlp.Add("c_proj", _down = new Conv1D(config.Intermediate, config.Hidden));
        mlp.Add("dropout", _dropout = nn.Dropout(config.Dropout));
        register_module("mlp", mlp);
    }

    public override Tensor forward(Tensor x)
    {
        x = x + _attention.forward(_norm1.forward(x));
        // gelu_new: GELU's tanh approximation.
        return x + _dropout.forward(_down.forward(nn.functional.gelu(_up.forward(_norm2.forward(x)), GELU.Approximate.tanh)));
    }
}

internal sealed class Gpt2Attention : nn.Module<Tensor, Tensor>
{
    private readonly Conv1D _qkv, _projection;
    private readonly Dropout _residualDropout;
    private readonly int _heads;
    private readonly double _dropout;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public Gpt2Attention(BaseConfig config) : base(nameof(Gpt2Attention))
    {
        register_module("c_attn", _qkv = new Conv1D(config.Hidden, 3 * config.Hidden));
        register_module("c_proj", _projection = new Conv1D(config.Hidden, config.Hidden));
        register_module("resid_dropout", _residualDropout = nn.Dropout(config.Dropout));
        _heads = config.Heads;
        _dropout = config.AttentionDropout;
    }

    public override Tensor forward(Tensor x)
    {
        var (batch, length, hidden) = (x.shape[0], x.shape[1], x.shape[2]);
        var qkv = _qkv.forward(x).split(hidden, 2);
        Tensor Heads(Tensor t) => t.view(batch, length, _heads, hidden / _heads).transpose(1, 2);
        var attended = nn.functional.scaled_dot_product_attention(Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]), null, training ? _dropout : 0, true);
        return _residualDropout.forward(_projection.forward(attended.transpose(1, 2).reshape(batch, length, hidden)));
    }
}
