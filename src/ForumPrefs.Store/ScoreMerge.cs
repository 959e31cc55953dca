namespace ForumPrefs.Store;

/// <summary>
/// The one rule by which a score sighting merges into a stored row, whichever order sightings arrive in: the newest
/// sighting with a known score is the row's score (<c>observed_utc</c>), the earliest its <c>first_score</c>; two at
/// the same second keep the larger score; a hidden score is no sighting, unless the row has never shown one either.
/// Used by the full upserts of posts and comments, by score-only sightings (vote timelines), and by a merge of stores,
/// where the incoming row carries its earliest sighting apart from its newest.
/// </summary>
internal static class ScoreMerge
{
    /// <summary>Every sighting but the row's earliest is a row of score_snapshots; a second one at the same time keeps the larger.</summary>
    public const string SnapshotConflict = "\nON CONFLICT(item_kind, item_pk, observed_utc) DO UPDATE SET score = max(score, excluded.score)";

    /// <summary>The SET assignments of score, observed_utc, first_score and first_observed_utc.</summary>
    /// <param name="row">How the row's columns are named (e.g. "comments.").</param>
    /// <param name="score">The incoming score expression.</param>
    /// <param name="at">The incoming sighting time expression.</param>
    /// <param name="hidden">Whether the incoming score is hidden (an expression; "0" where it never is).</param>
    /// <param name="rowHidden">Whether the row's score is hidden (an expression; "0" where it never is).</param>
    /// <param name="firstScore">The incoming earliest score, where it is not <paramref name="score"/> (a row of another store).</param>
    /// <param name="firstAt">The incoming earliest sighting time, with <paramref name="firstScore"/>.</param>
    public static string Assignments(string row, string score, string at, string hidden, string rowHidden,
        string? firstScore = null, string? firstAt = null) => $"""
        score = CASE WHEN {hidden} THEN {row}score WHEN {rowHidden} THEN {score}
                     WHEN {at} > {row}observed_utc THEN {score}
                     WHEN {at} = {row}observed_utc THEN max({row}score, {score}) ELSE {row}score END,
        observed_utc = CASE WHEN {hidden} AND NOT {rowHidden} THEN {row}observed_utc
                            WHEN {rowHidden} AND NOT {hidden} THEN {at}
                            ELSE max({row}observed_utc, {at}) END,
        first_score = CASE WHEN {hidden} THEN {row}first_score WHEN {rowHidden} THEN {firstScore ?? score}
                           WHEN {firstAt ?? at} < {row}first_observed_utc THEN {firstScore ?? score}
                           WHEN {firstAt ?? at} = {row}first_observed_utc THEN max({row}first_score, {firstScore ?? score})
                           ELSE {row}first_score END,
        first_observed_utc = CASE WHEN {hidden} AND NOT {rowHidden} THEN {row}first_observed_utc
                                  WHEN {rowHidden} AND NOT {hidden} THEN {firstAt ?? at}
                                  ELSE min({row}first_observed_utc, {firstAt ?? at}) END
        """;
}
