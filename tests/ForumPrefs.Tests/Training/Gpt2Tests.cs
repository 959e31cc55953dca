using System.Text.Json.Nodes;
using ForumPrefs.Training;
using ForumPrefs.Training.Pretrained;
using static TorchSharp.torch;

namespace ForumPrefs.Tests.Training;

/// <summary>
/// A tiny random GPT-2 (Samples/gpt2-tiny, written by its committed make_fixture.py with plain torch): its tokenizer
/// files, its weights in PyTorch's format, and the ids, hidden states and rewards the script's own implementation gave.
/// </summary>
public sealed class Gpt2Tests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Samples", "gpt2-tiny");
    private static readonly JsonObject Expected = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")))!;

    private static IEnumerable<JsonObject> Pairs => Expected["pairs"]!.AsArray().Cast<JsonObject>();

    [Fact]
    public void The_byte_level_BPE_tokenizer_gives_the_reference_ids()
    {
        using var network = RewardNetwork.FromHuggingFace(Folder);
        var encoder = new PairEncoder(network.Input, 64);

        Assert.Equal(Expected["separator"]!.AsArray().Select(n => (int)n!), network.Input.Separator);
        foreach (var pair in Pairs)
            Assert.Equal(pair["ids"]!.AsArray().Select(n => (int)n!), encoder.Encode((string)pair["question"]!, (string)pair["answer"]!));
    }

    [Fact]
    public void The_TorchSharp_GPT2_gives_the_reference_hidden_states_and_rewards_within_1e_4_in_a_padded_batch()
    {
        using var network = RewardNetwork.FromHuggingFace(Folder);
        var model = (Gpt2Reward)network.Model;
        model.eval();
        var inputs = Pairs.Select(p => p["ids"]!.AsArray().Select(n => (long)n!).ToArray()).ToList();
        var length = inputs.Max(i => i.Length);
        var ids = new long[inputs.Count * length];
        var padding = Enumerable.Repeat(true, inputs.Count * length).ToArray();
        for (var row = 0; row < inputs.Count; row++)
            for (var i = 0; i < inputs[row].Length; i++)
                (ids[row * length + i], padding[row * length + i]) = (inputs[row][i], false);

        using var _ = no_grad();
        using var idsTensor = tensor(ids, [inputs.Count, length]);
        var rewards = model.forward(idsTensor, tensor(padding, [inputs.Count, length])).data<float>().ToArray();
        var hidden = model.Transformer.forward(idsTensor);

        Assert.Empty(network.Loaded!.Initialised);
        Assert.True(inputs.Select(i => i.Length).Distinct().Count() > 1, "rows of different lengths, so the batch is padded");
        var row_ = 0;
        foreach (var pair in Pairs)
        {
            var expectedStates = pair["last_hidden_state"]!.AsArray().SelectMany(r => r!.AsArray().Select(v => (float)v!)).ToArray();
            var states = hidden[row_, ..inputs[row_].Length].contiguous().data<float>().ToArray();
            var gap = expectedStates.Zip(states, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(gap <= 1e-4, $"pair {row_}: hidden states differ by up to {gap:E2}");
            Assert.Equal((double)pair["reward"]!, rewards[row_], 1e-4);
            row_++;
        }
    }
}
