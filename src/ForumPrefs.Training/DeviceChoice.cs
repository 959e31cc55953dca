using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>--device auto|cpu|cuda: auto takes CUDA when TorchSharp sees a GPU (a CUDA build of the backend is needed).</summary>
public static class DeviceChoice
{
    public static Device Resolve(string choice) => choice.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" => cuda.is_available() ? CUDA : throw new TrainingException("--device cuda: TorchSharp sees no CUDA device (this build uses the CPU backend; see the README for -p:TorchBackend=cuda)"),
        "auto" => cuda.is_available() ? CUDA : CPU,
        _ => throw new TrainingException($"--device must be auto, cpu or cuda, not '{choice}'"),
    };
}
