using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>A time in a query string: ISO 8601, and without an offset Vietnam time, as in JSON bodies (plain
/// <see cref="DateTimeOffset"/> binding would take the server's own zone). A "+07:00" whose plus became a space in
/// an unencoded URL is read as meant.</summary>
public readonly partial record struct VnTime(DateTimeOffset Value) : IParsable<VnTime>
{
    public static VnTime Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var value) ? value : throw new FormatException($"'{s}' is not an ISO 8601 time.");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out VnTime result)
    {
        result = default;
        if (s is null) return false;
        var text = UnencodedPlus().Replace(s.Trim(), "+$1");
        if (!VietnamDateTimeOffsetConverter.TryParse(text, out var value)) return false;
        result = new VnTime(value);
        return true;
    }

    [GeneratedRegex(@"(?<=T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$")]
    private static partial Regex UnencodedPlus();
}
