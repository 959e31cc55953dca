namespace ForumPrefs.Sources.Simulation;

/// <summary>An answer's score at one moment of the simulation: a point of its vote timeline.</summary>
public sealed record SimulatedSighting(string PostId, string CommentId, DateTimeOffset At, int Score);
