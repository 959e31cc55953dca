using ForumPrefs.Training;
using ForumPrefs.Tests.Support;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace ForumPrefs.Tests.Training;

/// <summary>
/// Length-controlled evaluation on a constructed split whose answers are known: 30 pairs prefer the longer answer, 10
/// the shorter, 4 are of equal length. A model that rewards length and one that rewards the preferred answer's marker
/// token must score what can be worked out by hand.
/// </summary>
public sealed class LengthControlTests : IDisposable
{
    private const int Marker = 7;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>"The longer answer wins", as a model: the reward is the input's length.</summary>
    private sealed class LengthReward() : nn.Module<Tensor, Tensor, Tensor>("length")
    {
        public override Tensor forward(Tensor ids, Tensor padding) => (~padding).sum(1).to(ScalarType.Float32);
    }

    /// <summary>A model that found what the labels reward: the marker token the preferred answers carry.</summary>
    private sealed class MarkerReward() : nn.Module<Tensor, Tensor, Tensor>("marker")
    {
        public override Tensor forward(Tensor ids, Tensor padding) => ids.eq(Marker).sum(1).to(ScalarType.Float32);
    }

    private static EncodedPair Pair(int chosenChars, int rejectedChars)
    {
        int[] Tokens(int chars, bool preferred) => [.. Enumerable.Repeat(3, chars / 10 - 1), preferred ? Marker : 4];
        return new EncodedPair(Tokens(chosenChars, true), Tokens(rejectedChars, false), 3.0, 1.0, "constructed", chosenChars, rejectedChars);
    }

    private static List<EncodedPair> Split() =>
    [
        .. Enumerable.Range(0, 30).Select(_ => Pair(200, 100)), // preferred twice as long: bin "≥ 2"
        .. Enumerable.Range(0, 10).Select(_ => Pair(50, 150)),  // preferred a third as long: bin "< 0.5"
        .. Enumerable.Range(0, 4).Select(_ => Pair(120, 120)),  // equal: bin "0.8–1.25", in neither side
    ];

    [Fact]
    public async Task The_length_model_scores_half_balanced_whatever_its_overall_accuracy()
    {
        using var model = new LengthReward();

        var result = await Evaluator.EvaluateAsync(model, Split().ToAsyncEnumerable(), CPU);

        Assert.Equal((30 + 0 + 4 * 0.5) / 44, result.Overall.Model, 6);
        Assert.Equal(1.0, result.Length.PreferredLonger.Model);
        Assert.Equal(30, result.Length.PreferredLonger.Pairs);
        Assert.Equal(0.0, result.Length.PreferredShorter.Model);
        Assert.Equal(10, result.Length.PreferredShorter.Pairs);
        Assert.Equal(4, result.Length.EqualLength);
        Assert.Equal(0.5, result.Length.Balanced, 6);
        Assert.InRange(0.5, result.Length.BalancedInterval.Low, result.Length.BalancedInterval.High);
        Assert.Equal(0.75, result.Length.PreferredLongerShare, 6);
        var bins = result.Length.PerLengthRatioBin.ToDictionary(b => b.Bin, b => b.Accuracy);
        Assert.Equal((30, 1.0), (bins["≥ 2"].Pairs, bins["≥ 2"].Model));
        Assert.Equal((10, 0.0), (bins["< 0.5"].Pairs, bins["< 0.5"].Model));
        Assert.Equal((4, 0.5), (bins["0.8–1.25"].Pairs, bins["0.8–1.25"].Model));
        var (low, high) = result.Overall.RandomInterval;
        Assert.True(low < 0.5 && high > 0.5 && high - low < 0.35, $"random 95 % interval {low}–{high} on 44 pairs");
    }

    [Fact]
    public async Task A_model_that_learned_more_than_length_is_above_chance_balanced_and_the_report_says_so()
    {
        using var model = new MarkerReward();

        var result = await Evaluator.EvaluateAsync(model, Split().ToAsyncEnumerable(), CPU);
        TrainingReport.Write(_folder.Path, new TrainConfig(), new TrainingState(0, 0, []), new Dictionary<string, EvalResult> { ["test"] = result });

        Assert.Equal(1.0, result.Length.PreferredShorter.Model);
        Assert.Equal(1.0, result.Length.Balanced, 6);
        Assert.True(result.Length.BalancedInterval.Low > 0.5, $"balanced interval {result.Length.BalancedInterval}");
        var metrics = JsonDocument.Parse(File.ReadAllText(_folder.File("metrics.json"))).RootElement.GetProperty("evaluation").GetProperty("test");
        var length = metrics.GetProperty("length_control");
        Assert.Equal(1.0, length.GetProperty("length_balanced_accuracy").GetDouble());
        Assert.Equal(10, length.GetProperty("preferred_shorter").GetProperty("pairs").GetInt64());
        Assert.Equal(0.75, length.GetProperty("preferred_longer_share").GetDouble());
        Assert.Equal(5, length.GetProperty("per_length_ratio_bin").GetArrayLength());
        Assert.Equal(0.5, metrics.GetProperty("random_baseline").GetDouble());
        var report = File.ReadAllText(_folder.File("report.md"));
        Assert.Contains("| length-balanced (mean) | | 100.0 %", report);
        Assert.Contains("| the shorter one | 10 |", report);
        Assert.True(new FileInfo(_folder.File("accuracy_by_length_test.png")).Length > 1000);
    }
}
