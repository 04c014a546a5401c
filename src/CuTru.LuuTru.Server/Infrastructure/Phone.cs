namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>A phone number as stored: digits, an optional leading +, 9 to 15 digits; spaces, dots, dashes and
/// brackets dropped. Anything else is not a phone number (null).</summary>
public static class Phone
{
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var sb = new System.Text.StringBuilder();
        foreach (var c in raw.Trim())
        {
            if (char.IsAsciiDigit(c) || (c == '+' && sb.Length == 0)) sb.Append(c);
            else if (c is ' ' or '.' or '-' or '(' or ')') continue;
            else return null;
        }
        var digits = sb.ToString().TrimStart('+').Length;
        return digits is >= 9 and <= 15 ? sb.ToString() : null;
    }
}
