using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>Pads token id arrays into [batch, length] tensors with a padding mask.</summary>
public static class Batches
{
    public static (Tensor Ids, Tensor Padding) Pad(IReadOnlyList<int[]> inputs, Device device)
    {
        var length = inputs.Max(i => i.Length);
        var ids = new long[inputs.Count * length];
        var padding = new bool[inputs.Count * length];
        for (var row = 0; row < inputs.Count; row++)
        {
            for (var i = 0; i < length; i++)
            {
                if (i < inputs[row].Length)
                    ids[row * length + i] = inputs[row][i];
                else
                    padding[row * length + i] = true;
            }
        }
        return (tensor(ids, [inputs.Count, length], device: device), tensor(padding, [inputs.Count, length], device: device));
    }
}
