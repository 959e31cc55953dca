using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace ForumPrefs.Training.Pretrained;

/// <summary>
/// Writes float32 tensors as a .safetensors file with <c>{"format": "pt"}</c> metadata. Hugging Face's
/// <c>from_pretrained</c> refuses a file without that field, and TorchSharp.PyBridge's writer does not add it, so the
/// format (an 8-byte header length, a JSON header, the raw little-endian data) is written here.
/// </summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        var ordered = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            if (tensor.dtype != ScalarType.Float32)
                throw new TrainingException($"{name} is {tensor.dtype}; only float32 weights are written");
            var bytes = tensor.numel() * 4;
            header[name] = new { dtype = "F32", shape = tensor.shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        var padded = (json.Length + 7) / 8 * 8; // the data starts 8-byte aligned; the header is padded with spaces
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, padded);
        file.Write(length);
        file.Write(json);
        for (var i = json.Length; i < padded; i++)
            file.WriteByte((byte)' ');
        foreach (var (_, tensor) in ordered)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            file.Write(cpu.bytes);
        }
    }
}
