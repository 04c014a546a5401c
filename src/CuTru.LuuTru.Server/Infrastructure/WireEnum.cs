using System.Text.Json;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>Enum values in query strings, spelled as in JSON (kebab-case: <c>commune-officer</c>).</summary>
public static class WireEnum
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>Parses an optional query value; an unknown one is a field error on <paramref name="path"/>.</summary>
    public static bool TryParseOptional<T>(string? raw, string path, FieldErrors errors, out T? value) where T : struct, Enum
    {
        value = null;
        if (string.IsNullOrWhiteSpace(raw)) return true;
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Name(candidate), raw.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        errors.Add(path, "invalid-value");
        return false;
    }
}
