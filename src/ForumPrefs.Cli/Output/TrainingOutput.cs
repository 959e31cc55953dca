using ForumPrefs.Training;

namespace ForumPrefs.Cli.Output;

/// <summary>What <c>train</c>, <c>eval</c> and <c>run</c> print about a model's accuracy.</summary>
internal static class TrainingOutput
{
    public static void Print(CliIO io, IReadOnlyDictionary<string, EvalResult> evaluations)
    {
        foreach (var (split, result) in evaluations)
            io.Out.WriteLine($"{split}: accuracy {TrainingReport.Percent(result.Overall.Model)} on {result.Overall.Pairs:N0} pairs " +
                $"({result.Truncated:N0} truncated to --max-length); \"longer answer wins\" {TrainingReport.Percent(result.Overall.LongerAnswer)}; " +
                $"95 % intervals (percent) {TrainingReport.Interval(result.Overall.ModelInterval)} and {TrainingReport.Interval(result.Overall.LongerAnswerInterval)}");
    }
}
