using System.Globalization;
using System.Text;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>How text is stored and searched: invisible characters removed, NFC, trimmed, inner spaces collapsed; search
/// keys folded to lower case without diacritics (<c>Nguyễn Văn Đức</c> → <c>nguyen van duc</c>).</summary>
public static class Text
{
    /// <summary>Invisible characters removed (controls such as NUL, format characters such as zero-width spaces and bidi
    /// overrides, unpaired surrogates, noncharacters; tabs and line breaks become spaces), then NFC, trimmed, runs of
    /// white space collapsed to one space. Letters of every script are kept. Null stays null.</summary>
    public static string? Clean(string? value)
    {
        if (value is null) return null;
        var nfc = Visible(value).Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(nfc.Length);
        var pendingSpace = false;
        foreach (var ch in nfc)
        {
            if (char.IsWhiteSpace(ch)) { pendingSpace = sb.Length > 0; continue; }
            if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
            sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>The text without what cannot be seen or stored: C0/C1 controls (white-space ones become a space), format
    /// characters (U+200B zero-width space, U+202E right-to-left override, U+FEFF, soft hyphen…), unpaired surrogates
    /// and noncharacters. Returns the same instance when there is nothing to remove (the common case).</summary>
    public static string Visible(string value)
    {
        var i = 0;
        while (i < value.Length && IsPlainVisible(value[i])) i++;
        if (i == value.Length) return value;
        var sb = new StringBuilder(value.Length);
        sb.Append(value, 0, i);
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, value[i + 1]));
                if (category is not (UnicodeCategory.Format or UnicodeCategory.Control)) sb.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF') continue;
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Control:
                    if (char.IsWhiteSpace(c)) sb.Append(' ');
                    break;
                case UnicodeCategory.Format:
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    // Printable ASCII and the letters of Vietnamese (and every other script) below the surrogates, minus the format
    // characters of the General Punctuation block and the soft hyphen: a fast first pass.
    private static bool IsPlainVisible(char c) =>
        c is >= ' ' and < '\u007F' || (c >= '\u00A0' && c != '\u00AD' && !char.IsSurrogate(c) && c is not ('\uFFFE' or '\uFFFF' or '\uFEFF')
            && CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.Format or UnicodeCategory.Control));

    /// <summary>The diacritic-free, lower-case search key of a text. <c>đ</c>/<c>Đ</c> fold to <c>d</c>.</summary>
    public static string Fold(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var decomposed = Visible(value).Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsWhiteSpace(ch)) { pendingSpace = sb.Length > 0; continue; }
            if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
            sb.Append(ch switch
            {
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(ch),
            });
        }
        // Composed again: taking the marks off leaves letters that compose without them (Hangul jamo, "김" not "ᄀ ᅵ ᆷ"),
        // so the key is NFC like every stored text and a query folded the same way finds it.
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
