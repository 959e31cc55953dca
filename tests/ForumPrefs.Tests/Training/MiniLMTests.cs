using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ForumPrefs.Tests.Support;
using ForumPrefs.Training;
using ForumPrefs.Training.Pretrained;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace ForumPrefs.Tests.Training;

/// <summary>all-MiniLM-L6-v2 imported from its ONNX file once for the tests of this class.</summary>
public sealed class ImportedMiniLM : IDisposable
{
    public ImportedMiniLM()
    {
        using var onnx = PackagedMiniLM.OpenOnnx();
        using var vocabulary = PackagedMiniLM.OpenVocabulary();
        Result = OnnxBertImport.Convert(onnx, vocabulary, Folder.File("minilm"), PackagedMiniLM.Description);
    }

    public TempFolder Folder { get; } = new();
    public string Path => Folder.File("minilm");
    public OnnxImportResult Result { get; }

    public void Dispose() => Folder.Dispose();
}

public sealed class MiniLMTests(ImportedMiniLM minilm) : IClassFixture<ImportedMiniLM>
{
    [Fact]
    public void The_import_recovers_the_architecture_and_names_every_projection()
    {
        var config = minilm.Result.Config;

        Assert.Equal((BaseFamily.Bert, 30522, 384, 6, 12, 1536, 512, 2), (config.Family, config.VocabSize, config.Hidden, config.Layers, config.Heads, config.Intermediate, config.MaxPositions, config.TypeVocabSize));
        Assert.Equal(1e-12, config.LayerNormEps);
        Assert.True(minilm.Result.EpsilonFromGraph);
        Assert.True(minilm.Result.Lowercase);
        // Per layer: query, key, value, attention output, intermediate and output dense are MatMuls (6 × 6 layers).
        Assert.Equal(36, minilm.Result.Transposed);
        using var network = RewardNetwork.FromHuggingFace(minilm.Path);
        Assert.Equal(["classifier.weight", "classifier.bias"], network.Loaded!.Initialised);
        Assert.Empty(network.Loaded.Ignored);
        // 22.7M in the checkpoint, plus the head's 384 weights and a bias.
        Assert.Equal(22_713_216 + 385, network.Model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void The_tokenizer_gives_the_uncased_WordPiece_ids_of_BERT()
    {
        using var network = RewardNetwork.FromHuggingFace(minilm.Path);

        // bert-base-uncased's ids: hello 7592, "," 1010, world 2088, "!" 999; "Éclair" lower-cased and stripped of its accent.
        Assert.Equal([7592, 1010, 2088, 999], network.Input.Ids("Hello, world!"));
        Assert.Equal(network.Input.Ids("eclair"), network.Input.Ids("Éclair"));
        Assert.Equal([101, 102, 102], [.. network.Input.Start, .. network.Input.Separator, .. network.Input.End]);
    }

    [SkippableFact]
    public void On_real_answers_the_TorchSharp_BERT_gives_the_hidden_states_of_ONNX_Runtime_within_1e_4()
    {
        var posts = XDocument.Load(Fixtures.File("stackexchange_dump/WafflesonFire_stackdump/beer.Posts.xml")).Root!.Elements("row")
            .Select(r => WebUtility(r.Attribute("Body")?.Value ?? "")).Where(t => t.Length > 0).Take(8).ToList();
        using var network = RewardNetwork.FromHuggingFace(minilm.Path);
        var bert = ((BertReward)network.Model).Bert;
        bert.eval();
        var encoder = new PairEncoder(network.Input, 128);
        // Question–answer pairs of different lengths, so the batch has padding and both segments.
        var inputs = Enumerable.Range(0, posts.Count - 1).Select(i => encoder.Encode(posts[i], posts[i + 1])).ToList();
        var length = inputs.Max(i => i.Length);
        var ids = new long[inputs.Count * length];
        var mask = new long[inputs.Count * length];
        for (var row = 0; row < inputs.Count; row++)
            for (var i = 0; i < inputs[row].Length; i++)
                (ids[row * length + i], mask[row * length + i]) = (inputs[row][i], 1);
        using var idsTensor = tensor(ids, [inputs.Count, length]);
        using var types = BertModel.SegmentsAfterFirstSeparator(idsTensor, 102);
        var typeIds = types.data<long>().ToArray();

        float[] hidden, pooled;
        using (no_grad())
        {
            var (last, pool) = bert.Encode(idsTensor, tensor(mask, [inputs.Count, length]), types);
            (hidden, pooled) = (last.data<float>().ToArray(), pool.data<float>().ToArray());
        }
        using var onnx = PackagedMiniLM.OpenOnnx();
        using var memory = new MemoryStream();
        onnx.CopyTo(memory);
        using var session = new InferenceSession(memory.ToArray());
        int[] shape = [inputs.Count, length];
        using var outputs = session.Run([
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(typeIds, shape)),
        ]);
        var expectedHidden = outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>().ToArray();
        var expectedPooled = outputs.First(o => o.Name != "last_hidden_state").AsTensor<float>().ToArray();

        Assert.True(typeIds.Contains(1) && mask.Contains(0), "the batch has answer segments and padding");
        Assert.Equal(expectedHidden.Length, hidden.Length);
        var hiddenGap = expectedHidden.Zip(hidden, (a, b) => Math.Abs(a - b)).Max();
        var pooledGap = expectedPooled.Zip(pooled, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(hiddenGap <= 1e-4, $"last_hidden_state differs by up to {hiddenGap:E2}");
        Assert.True(pooledGap <= 1e-4, $"pooler output differs by up to {pooledGap:E2}");
        Assert.True(expectedHidden.Select(Math.Abs).Max() > 0.1, "the states are not all near zero");
    }

    private static string WebUtility(string html) =>
        System.Net.WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " ")).Trim();
}
