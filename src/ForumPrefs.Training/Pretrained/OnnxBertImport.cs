using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace ForumPrefs.Training.Pretrained;

/// <summary>What an ONNX import wrote.</summary>
/// <param name="EpsilonFromGraph">LayerNorm's ε was read from the graph (else BERT's 1e-12 was assumed).</param>
public sealed record OnnxImportResult(BaseConfig Config, int Weights, int Transposed, bool Lowercase, bool EpsilonFromGraph);

/// <summary>
/// Turns a BERT exported to ONNX (as sentence-transformers and optimum export it) into a Hugging Face folder that
/// <c>train --base</c> loads. The export keeps the Hugging Face names of embeddings, biases and LayerNorms; the
/// projection matrices become anonymous [in, out] initializers of MatMul nodes, so each is named by following its MatMul
/// to the Add that takes the named bias (<c>…query.bias</c> → <c>…query.weight</c>) and transposed back to [out, in].
/// The head count and LayerNorm epsilon are read from the graph (the attention scale √head_size; the epsilon added
/// before each Sqrt, or a LayerNormalization node's); lower-casing from the vocabulary (an uncased one has no capitals).
/// </summary>
public static class OnnxBertImport
{
    public static OnnxImportResult Convert(Stream onnx, Stream vocabulary, string folder, string source, int? heads = null)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new TrainingException($"'{source}' is not an ONNX model ({ex.Message})");
        }
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var constants = Constants(graph, initializers);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, proto) in initializers)
                if (IsHuggingFaceName(name) && proto.DataType == (int)TensorProto.Types.DataType.Float)
                    weights[name] = Floats(proto);
            var transposed = NameProjections(graph, initializers, weights);
            NamePoolerFromGemm(graph, initializers, weights);

            var lowercase = IsUncased(vocabulary, out var vocabularyText);
            var config = Configuration(weights, graph, initializers, constants, heads, source, out var epsilonFromGraph);
            var parsed = BaseConfig.Parse(config, source);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, BaseConfig.FileName), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            File.WriteAllText(Path.Combine(folder, "vocab.txt"), vocabularyText);
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), new JsonObject
            {
                ["tokenizer_class"] = "BertTokenizer",
                ["do_lower_case"] = lowercase,
                ["model_max_length"] = parsed.MaxPositions,
            }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            SafetensorsWriter.Write(Path.Combine(folder, Checkpoint.Safetensors), weights);
            return new OnnxImportResult(parsed, weights.Count, transposed, lowercase, epsilonFromGraph);
        }
        finally
        {
            foreach (var tensor in weights.Values)
                tensor.Dispose();
        }
    }

    private static bool IsHuggingFaceName(string name) =>
        (name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal)
            || name.StartsWith("pooler.", StringComparison.Ordinal))
        && (name.EndsWith(".weight", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal));

    /// <summary>MatMul(x, W) → Add(·, named bias): W is the bias's layer weight, stored transposed.</summary>
    private static int NameProjections(GraphProto graph, Dictionary<string, TensorProto> initializers, Dictionary<string, Tensor> weights)
    {
        var consumers = graph.Node.SelectMany(n => n.Input.Select(input => (input, n))).ToLookup(x => x.input, x => x.n);
        var named = 0;
        foreach (var matmul in graph.Node.Where(n => n.OpType == "MatMul" && n.Input.Count == 2 && initializers.ContainsKey(n.Input[1])))
        {
            var bias = consumers[matmul.Output[0]].Where(n => n.OpType == "Add")
                .SelectMany(n => n.Input).FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && weights.ContainsKey(i));
            if (bias is null)
                throw new TrainingException($"ONNX MatMul {matmul.Name} is not followed by a named bias: not a BERT export this importer knows");
            var name = bias[..^".bias".Length] + ".weight";
            using var stored = Floats(initializers[matmul.Input[1]]);
            weights[name] = stored.t().contiguous();
            named++;
        }
        return named;
    }

    /// <summary>The pooler is a Gemm on named weights; with transB = 0 its weight is [in, out] and is transposed.</summary>
    private static void NamePoolerFromGemm(GraphProto graph, Dictionary<string, TensorProto> initializers, Dictionary<string, Tensor> weights)
    {
        foreach (var gemm in graph.Node.Where(n => n.OpType == "Gemm" && n.Input.Count >= 2 && weights.ContainsKey(n.Input[1])))
        {
            var transB = gemm.Attribute.FirstOrDefault(a => a.Name == "transB")?.I ?? 0;
            if (transB == 0)
            {
                var old = weights[gemm.Input[1]];
                weights[gemm.Input[1]] = old.t().contiguous();
                old.Dispose();
            }
        }
    }

    private static JsonObject Configuration(Dictionary<string, Tensor> weights, GraphProto graph, Dictionary<string, TensorProto> initializers,
        Dictionary<string, float[]> constants, int? heads, string source, out bool epsilonFromGraph)
    {
        int[] Shape(string name) => weights.TryGetValue(name, out var t) ? [.. t.shape.Select(d => (int)d)]
            : throw new TrainingException($"'{source}' has no {name}: not a BERT export this importer knows");
        var words = Shape("embeddings.word_embeddings.weight");
        var hidden = words[1];
        var layers = weights.Keys.Where(k => k.StartsWith("encoder.layer.", StringComparison.Ordinal))
            .Select(k => int.Parse(k.Split('.')[2])).DefaultIfEmpty(-1).Max() + 1;
        // The attention scores (a MatMul of two activations, Q·Kᵀ) are divided by √(head size).
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(x => x.o, x => x.n);
        bool IsScores(string name) => producers.TryGetValue(name, out var node) && node.OpType == "MatMul" && !node.Input.Any(initializers.ContainsKey);
        var headCount = heads ?? graph.Node.Where(n => n.OpType == "Div" && n.Input.Count == 2 && constants.ContainsKey(n.Input[1]) && IsScores(n.Input[0]))
            .Select(n => constants[n.Input[1]]).Where(v => v.Length == 1).Select(v => (int)Math.Round(v[0] * (double)v[0]))
            .Where(size => size >= 1 && hidden % size == 0).Select(size => hidden / size).Distinct().SingleOrDefault();
        if (headCount < 1)
            throw new TrainingException($"'{source}': cannot tell the number of attention heads from the graph; give --heads");
        // LayerNorm is exported as x / Sqrt(variance + ε) (ε is the constant of the Add feeding each Sqrt), or, from
        // opset 17, as one LayerNormalization node with an epsilon attribute. Neither: BERT's own 1e-12, said so.
        var fromDecomposed = graph.Node.Where(n => n.OpType == "Sqrt" && producers.TryGetValue(n.Input[0], out var add) && add.OpType == "Add")
            .Select(n => producers[n.Input[0]].Input.Select(i => constants.GetValueOrDefault(i)).FirstOrDefault(v => v is { Length: 1 }))
            .Where(v => v is not null).Select(v => v![0]);
        var fromFused = graph.Node.Where(n => n.OpType == "LayerNormalization")
            .Select(n => n.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f);
        float? found = fromDecomposed.Concat(fromFused).Select(v => (float?)v).FirstOrDefault();
        epsilonFromGraph = found is not null;
        // Through float's shortest text: 1e-12, not 9.99999996e-13.
        var epsilon = found is { } e ? double.Parse(e.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : 1e-12;
        return new JsonObject
        {
            ["architectures"] = new JsonArray("BertModel"),
            ["model_type"] = "bert",
            ["vocab_size"] = words[0],
            ["hidden_size"] = hidden,
            ["num_hidden_layers"] = layers,
            ["num_attention_heads"] = headCount,
            ["intermediate_size"] = Shape("encoder.layer.0.intermediate.dense.bias")[0],
            ["max_position_embeddings"] = Shape("embeddings.position_embeddings.weight")[0],
            ["type_vocab_size"] = Shape("embeddings.token_type_embeddings.weight")[0],
            ["hidden_act"] = "gelu",
            ["layer_norm_eps"] = epsilon,
            ["hidden_dropout_prob"] = 0.1,
            ["attention_probs_dropout_prob"] = 0.1,
            ["position_embedding_type"] = "absolute",
            ["pad_token_id"] = 0,
            ["forumprefs_imported_from"] = source,
        };
    }

    /// <summary>Scalar and small float constants by the name a node reads them under (Constant outputs and initializers).</summary>
    private static Dictionary<string, float[]> Constants(GraphProto graph, Dictionary<string, TensorProto> initializers)
    {
        var constants = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, proto) in initializers)
            if (proto.DataType == (int)TensorProto.Types.DataType.Float && proto.Dims.Aggregate(1L, (a, b) => a * b) <= 4)
                constants[name] = FloatArray(proto);
        foreach (var node in graph.Node.Where(n => n.OpType == "Constant"))
            if (node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { DataType: (int)TensorProto.Types.DataType.Float } value
                && value.Dims.Aggregate(1L, (a, b) => a * b) <= 4)
                constants[node.Output[0]] = FloatArray(value);
        return constants;
    }

    private static float[] FloatArray(TensorProto proto) => proto.RawData.Length > 0
        ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray()
        : [.. proto.FloatData];

    private static Tensor Floats(TensorProto proto) => tensor(FloatArray(proto), [.. proto.Dims]);

    /// <summary>An uncased WordPiece vocabulary (do_lower_case) has no capital letters outside its [SPECIAL] tokens.</summary>
    private static bool IsUncased(Stream vocabulary, out string text)
    {
        using var reader = new StreamReader(vocabulary);
        text = reader.ReadToEnd();
        return !text.Split('\n').Select(line => line.TrimEnd('\r')).Any(token => !(token.StartsWith('[') && token.EndsWith(']')) && token.Any(char.IsAsciiLetterUpper));
    }
}
