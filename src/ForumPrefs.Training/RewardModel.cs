using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>
/// A transformer encoder with a scalar head: token and position embeddings, N encoder layers, mean pooling over the
/// real (non-padding) tokens, and a linear layer to one reward.
/// </summary>
public sealed class RewardModel : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding tokens;
    private readonly Embedding positions;
    private readonly TransformerEncoder encoder;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public RewardModel(int vocabulary, TrainConfig config) : base(nameof(RewardModel))
    {
        tokens = nn.Embedding(vocabulary, config.Width);
        positions = nn.Embedding(config.MaxLength, config.Width);
        encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(config.Width, config.Heads, config.Width * 4, config.Dropout), config.Layers);
        norm = nn.LayerNorm(config.Width);
        head = nn.Linear(config.Width, 1);
        RegisterComponents();
    }

    /// <param name="ids">[batch, length] token ids, padded with 0.</param>
    /// <param name="padding">[batch, length], true where a position is padding.</param>
    /// <returns>[batch] rewards.</returns>
    public override Tensor forward(Tensor ids, Tensor padding)
    {
        var length = ids.shape[1];
        var x = tokens.forward(ids) + positions.forward(arange(length, device: ids.device)).unsqueeze(0);
        var encoded = encoder.forward(x.transpose(0, 1), null!, padding).transpose(0, 1);
        var keep = (~padding).unsqueeze(-1).to_type(encoded.dtype);
        var pooled = (norm.forward(encoded) * keep).sum(1) / keep.sum(1).clamp_min(1);
        return head.forward(pooled).squeeze(-1);
    }
}
