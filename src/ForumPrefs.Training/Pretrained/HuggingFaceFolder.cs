using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace ForumPrefs.Training.Pretrained;

/// <summary>
/// Writes a fine-tuned reward model as a folder <c>AutoModelForSequenceClassification.from_pretrained</c> loads: the
/// base's config.json with the sequence-classification class and one label, <c>model.safetensors</c> under Hugging
/// Face's key names (<c>classifier.weight</c>, <c>score.weight</c>), and the tokenizer files.
/// </summary>
public static class HuggingFaceFolder
{
    public static void Save(string folder, RewardNetwork network, string tokenizerSource, Action<string, Action<string>> write)
    {
        var config = network.Pretrained ?? throw new ArgumentException("not a pretrained network", nameof(network));
        var json = (JsonObject)config.Raw.DeepClone();
        json["architectures"] = new JsonArray(config.Family == BaseFamily.Bert ? "BertForSequenceClassification" : "GPT2ForSequenceClassification");
        json["id2label"] = new JsonObject { ["0"] = "LABEL_0" };
        json["label2id"] = new JsonObject { ["LABEL_0"] = 0 };
        json.Remove("num_labels");
        // GPT-2 has no padding token; its classifier finds each row's last real token through pad_token_id.
        if (config.Family == BaseFamily.Gpt2 && json["pad_token_id"] is null)
            json["pad_token_id"] = json["eos_token_id"]?.DeepClone() ?? 50256;
        write(Path.Combine(folder, BaseConfig.FileName), path => File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        write(Path.Combine(folder, Checkpoint.Safetensors), path => SafetensorsWriter.Write(path, network.Model.state_dict()));
        if (Path.GetFullPath(tokenizerSource) == Path.GetFullPath(folder))
            return;
        foreach (var name in BaseTokenizer.Files)
        {
            var source = Path.Combine(tokenizerSource, name);
            if (File.Exists(source))
                write(Path.Combine(folder, name), path => File.Copy(source, path, overwrite: true));
        }
    }
}
