namespace ForumPrefs.Sources.Simulation;

/// <summary>Random draws from a seeded <see cref="Random"/>, so a seed fixes every simulated value.</summary>
internal static class Draws
{
    /// <summary>Knuth's method for small means, a normal approximation above 30.</summary>
    public static int Poisson(Random random, double mean)
    {
        if (mean <= 0)
            return 0;
        if (mean > 30)
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * Normal(random)));
        var limit = Math.Exp(-mean);
        var count = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }
        return count;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static bool Chance(Random random, double rate) => random.NextDouble() < rate;
}
