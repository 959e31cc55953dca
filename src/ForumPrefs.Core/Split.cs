namespace ForumPrefs.Core;

/// <summary>Dataset splits; a post and all its pairs belong to exactly one.</summary>
public enum Split
{
    Train,
    Validation,
    Test,
}

public static class SplitNames
{
    public static string Name(this Split split) => split switch
    {
        Split.Train => "train",
        Split.Validation => "validation",
        _ => "test",
    };
}
