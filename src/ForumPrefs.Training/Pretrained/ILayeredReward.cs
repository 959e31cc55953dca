using static TorchSharp.torch;

namespace ForumPrefs.Training.Pretrained;

/// <summary>
/// A pretrained reward network cut at a layer: <c>Upper(Lower(ids, padding, n), padding, n)</c> is its forward pass.
/// With the lower layers frozen, their output for an input never changes, so it can be computed once and kept
/// (<see cref="FrozenLayerCache"/>).
/// </summary>
public interface ILayeredReward
{
    /// <summary>[batch, length, hidden]: the embeddings and the first <paramref name="layers"/> layers.</summary>
    Tensor Lower(Tensor ids, Tensor padding, int layers);

    /// <summary>[batch]: the rewards, from the hidden states after layer <paramref name="from"/> (padding rows may hold anything).</summary>
    Tensor Upper(Tensor hidden, Tensor padding, int from);
}
