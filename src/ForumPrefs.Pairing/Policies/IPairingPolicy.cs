namespace ForumPrefs.Pairing.Policies;

/// <summary>Turns one thread into preference pairs, counting what each of its rules removed.</summary>
public interface IPairingPolicy
{
    /// <summary>The policy's name as stored with its pairs (shp, stackexchange).</summary>
    string Name { get; }

    /// <summary>The options in effect, serialised with the pairs so a dataset says how it was made.</summary>
    object Options { get; }

    /// <summary>Whether the policy reads each answer's score sightings over time (<see cref="CandidateAnswer.Timeline"/>).</summary>
    bool NeedsTimelines => false;

    void Build(CandidateThread thread, RejectionReport report, List<PolicyPair> pairs);
}
