namespace ForumPrefs.Pairing.Policies;

/// <summary>What a policy decides: which answer readers preferred, and by how much in the policy's own score.</summary>
public readonly record struct PolicyPair(CandidateAnswer Preferred, CandidateAnswer Other, double ScoreRatio, double Margin,
    Core.PairWindow? Window = null);
