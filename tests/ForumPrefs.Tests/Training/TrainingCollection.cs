namespace ForumPrefs.Tests.Training;

/// <summary>
/// Tests that compare two training runs bit for bit run alone: dropout draws from LibTorch's one global generator,
/// which a training test in a parallel class would advance in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection
{
    public const string Name = "training runs compared bit for bit";
}
