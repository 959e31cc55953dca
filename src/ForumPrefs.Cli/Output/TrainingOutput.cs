using ForumPrefs.Training;

namespace ForumPrefs.Cli.Output;

/// <summary>What <c>train</c>, <c>eval</c> and <c>run</c> print about a model's accuracy.</summary>
internal static class TrainingOutput
{
    public static void Print(CliIO io, IReadOnlyDictionary<string, EvalResult> evaluations)
    {
        foreach (var (split, result) in evaluations)
        {
            io.Out.WriteLine($"{split}: accuracy {TrainingReport.Percent(result.Overall.Model)} on {result.Overall.Pairs:N0} pairs " +
                $"({result.Truncated:N0} truncated to --max-length); \"longer answer wins\" {TrainingReport.Percent(result.Overall.LongerAnswer)}; " +
                $"95 % intervals (percent) {TrainingReport.Interval(result.Overall.ModelInterval)} and {TrainingReport.Interval(result.Overall.LongerAnswerInterval)}");
            var l = result.Length;
            io.Out.WriteLine($"{split}: length-balanced accuracy {TrainingReport.Percent(l.Balanced)} ({TrainingReport.Interval(l.BalancedInterval)}; " +
                $"\"longer answer wins\" scores 50 %, random 50 % ({TrainingReport.Interval(result.Overall.RandomInterval)})): " +
                $"{TrainingReport.Percent(l.PreferredShorter.Model)} on the {l.PreferredShorter.Pairs:N0} pairs whose preferred answer is shorter, " +
                $"{TrainingReport.Percent(l.PreferredLonger.Model)} on the {l.PreferredLonger.Pairs:N0} whose preferred answer is longer");
        }
    }
}
