namespace ForumPrefs.Sources.Simulation;

/// <summary>
/// Votes arrive hour by hour. A thread's traffic decays with its age; within a thread, readers see answers
/// sorted by score, so attention falls with rank; each view turns into an up- or down-vote with a chance that
/// grows with quality. Early answers collect votes while traffic is high, so an early mediocre answer often
/// out-scores a better late one — the bias SHP's "preferred answer is the later one" rule corrects.
/// </summary>
internal static class VoteModel
{
    private const double TrafficHalfLifeHours = 8;
    private const double RankAttention = 0.75;
    private const int HorizonHours = 96;

    /// <param name="arrivalHours">When each answer was posted, in hours after the post.</param>
    /// <param name="quality">Hidden quality of each answer, 0..1.</param>
    /// <param name="viewsPerHour">Readers per hour when the post is new.</param>
    /// <param name="observedHours">When the scores are read, in hours after the post.</param>
    /// <param name="hourly">When given, receives every answer's score at the end of each simulated hour.</param>
    public static int[] Scores(Random random, double[] arrivalHours, double[] quality, double viewsPerHour, double observedHours,
        List<int[]>? hourly = null)
    {
        var count = arrivalHours.Length;
        var scores = Enumerable.Repeat(1, count).ToArray();
        var order = new int[count];
        var end = Math.Min(observedHours, HorizonHours);
        for (var hour = 0; hour < end; hour++)
        {
            var traffic = viewsPerHour * Math.Pow(0.5, hour / TrafficHalfLifeHours);
            var visible = 0;
            for (var i = 0; i < count; i++)
                if (arrivalHours[i] <= hour)
                    order[visible++] = i;
            // Readers see the highest score first; ties go to the earlier answer.
            Array.Sort(order, 0, visible, Comparer<int>.Create((a, b) =>
                scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : arrivalHours[a].CompareTo(arrivalHours[b])));
            var attention = 1.0;
            for (var rank = 0; rank < visible; rank++, attention *= RankAttention)
            {
                var answer = order[rank];
                var views = traffic * attention;
                var q = quality[answer];
                scores[answer] += Draws.Poisson(random, views * (0.02 + 0.10 * q * q))
                                  - Draws.Poisson(random, views * 0.015 * (1 - q));
            }
            hourly?.Add((int[])scores.Clone());
        }
        return scores;
    }
}
