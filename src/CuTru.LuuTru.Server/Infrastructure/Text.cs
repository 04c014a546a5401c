using System.Globalization;
using System.Text;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>How text is stored and searched: NFC, trimmed, inner spaces collapsed; search keys folded
/// to lower case without diacritics (<c>Nguyễn Văn Đức</c> → <c>nguyen van duc</c>).</summary>
public static class Text
{
    /// <summary>NFC, trimmed, runs of white space collapsed to one space. Null stays null.</summary>
    public static string? Clean(string? value)
    {
        if (value is null) return null;
        var nfc = value.Normalize(NormalizationForm.FormC);
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

    /// <summary>The diacritic-free, lower-case search key of a text. <c>đ</c>/<c>Đ</c> fold to <c>d</c>.</summary>
    public static string Fold(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var decomposed = value.Normalize(NormalizationForm.FormD);
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
        return sb.ToString();
    }
}
