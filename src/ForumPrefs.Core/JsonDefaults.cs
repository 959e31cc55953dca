using System.Text.Json;

namespace ForumPrefs.Core;

/// <summary>The JSON spelling every stored state, report and metrics file uses: snake_case, like SHP's columns.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    public static readonly JsonSerializerOptions SnakeCaseIndented = new(SnakeCase) { WriteIndented = true };
}
