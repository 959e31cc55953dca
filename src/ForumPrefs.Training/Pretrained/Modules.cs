using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForumPrefs.Training.Pretrained;

/// <summary>A module that only groups others under a Hugging Face name (encoder, attention, pooler, mlp).</summary>
internal sealed class Container(string name) : nn.Module(name)
{
    public void Add(string childName, nn.Module child) => register_module(childName, child);
}

/// <summary>GPT-2's Conv1D: a linear layer whose weight is stored [in, out] (the transpose of nn.Linear's).</summary>
internal sealed class Conv1D : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight, _bias;

    protected override void RegisterComponents() { } // registered by Hugging Face name in the constructor

    public Conv1D(int inputs, int outputs) : base(nameof(Conv1D))
    {
        register_parameter("weight", _weight = new Parameter(empty(inputs, outputs)));
        register_parameter("bias", _bias = new Parameter(zeros(outputs)));
        using (no_grad())
            nn.init.normal_(_weight, 0, Initialise.Range);
    }

    public override Tensor forward(Tensor x) => addmm(_bias, x.reshape(-1, x.shape[^1]), _weight, 1, 1).view([.. x.shape[..^1], _weight.shape[1]]);
}

/// <summary>Hugging Face's initialisation for new layers: normal(0, 0.02) weights, zero biases.</summary>
internal static class Initialise
{
    public const double Range = 0.02;

    public static void Head(Linear layer)
    {
        using (no_grad())
        {
            nn.init.normal_(layer.weight, 0, Range);
            if (layer.bias is { } bias)
                nn.init.zeros_(bias);
        }
    }
}
