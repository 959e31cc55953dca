using System.IO.Hashing;
using System.Runtime.InteropServices;
using ForumPrefs.Training.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>What the frozen-layer cache did in a run.</summary>
/// <param name="Computed">Distinct inputs whose frozen layers ran.</param>
/// <param name="Reused">Inputs (one per side of a pair) that took kept outputs instead.</param>
/// <param name="NotKept">Distinct inputs computed after the cache was full (computed again when they come back).</param>
public sealed record FrozenCacheUse(int FrozenLayers, long Computed, long Reused, long NotKept, long Bytes)
{
    public double ReusedShare => Computed + Reused == 0 ? 0 : (double)Reused / (Computed + Reused);
}

/// <summary>
/// With the lower layers frozen (<c>--train-top-layers K</c>), an input's output of them never changes. An answer
/// sits in several pairs of its post and every pair comes back each epoch, so each distinct input (its exact token
/// ids) goes through the frozen layers once; its hidden states are kept as 16-bit floats up to a memory bound, and
/// steps run only the trained layers above. The frozen layers run as evaluation runs them, without dropout.
/// </summary>
public sealed class FrozenLayerCache : IDisposable
{
    private readonly nn.Module<Tensor, Tensor, Tensor> _model;
    private readonly ILayeredReward _layers;
    private readonly int _frozen;
    private readonly long _capacityBytes;
    private readonly Dictionary<int[], Tensor> _kept = new(SameIds.Instance);
    private long _computed, _reused, _notKept, _bytes;

    private FrozenLayerCache(nn.Module<Tensor, Tensor, Tensor> model, ILayeredReward layers, int frozen, long capacityBytes)
    {
        (_model, _layers, _frozen, _capacityBytes) = (model, layers, frozen, capacityBytes);
    }

    /// <summary>A cache for a network whose lower <paramref name="frozenLayers"/> layers are frozen; null when there is nothing to keep.</summary>
    public static FrozenLayerCache? For(nn.Module<Tensor, Tensor, Tensor> model, int frozenLayers, long capacityBytes) =>
        frozenLayers > 0 && capacityBytes > 0 && model is ILayeredReward layers ? new FrozenLayerCache(model, layers, frozenLayers, capacityBytes) : null;

    public FrozenCacheUse Use => new(_frozen, _computed, _reused, _notKept, _bytes);

    /// <summary>The rewards of <paramref name="inputs"/> (padded as <paramref name="ids"/> and <paramref name="padding"/>), through the trained layers only.</summary>
    public Tensor Rewards(IReadOnlyList<int[]> inputs, Tensor ids, Tensor padding)
    {
        var missing = inputs.Where(i => !_kept.ContainsKey(i)).Distinct(SameIds.Instance).ToList();
        _reused += inputs.Count(_kept.ContainsKey);
        var passing = new Dictionary<int[], Tensor>(SameIds.Instance); // computed now, not kept: the cache is full
        if (missing.Count > 0)
        {
            var (missingIds, missingPadding) = Batches.Pad(missing, ids.device);
            Tensor lower;
            var training = _model.training;
            _model.eval(); // no dropout in the frozen layers, as in evaluation
            using (no_grad())
                lower = _layers.Lower(missingIds, missingPadding, _frozen);
            _model.train(training);
            for (var i = 0; i < missing.Count; i++)
            {
                var states = lower[i, ..missing[i].Length].to(ScalarType.Float16); // a copy: the batch's tensor is not held
                var size = states.NumberOfElements * 2;
                if (_bytes + size <= _capacityBytes)
                {
                    _kept[missing[i]] = states.DetachFromDisposeScope();
                    _bytes += size;
                }
                else
                {
                    passing[missing[i]] = states;
                    _notKept++;
                }
            }
            _computed += missing.Count;
        }
        var length = ids.shape[1];
        var rows = inputs.Select(input =>
        {
            var states = _kept.TryGetValue(input, out var kept) ? kept : passing[input];
            return nn.functional.pad(states, [0, 0, 0, length - states.shape[0]]);
        });
        var hidden = stack(rows.ToArray()).to(ScalarType.Float32);
        return _layers.Upper(hidden, padding, _frozen);
    }

    public void Dispose()
    {
        foreach (var states in _kept.Values)
            states.Dispose();
        _kept.Clear();
    }

    /// <summary>Token id arrays compared by content.</summary>
    private sealed class SameIds : IEqualityComparer<int[]>
    {
        public static readonly SameIds Instance = new();

        public bool Equals(int[]? x, int[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(int[] ids) => (int)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(ids.AsSpan()));
    }
}
