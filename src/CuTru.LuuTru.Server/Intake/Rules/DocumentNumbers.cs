using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.ReferenceData;

namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>Identity document numbers: normalised, then checked digit by digit (luu-tru-rules.md, "Identity numbers").</summary>
public static class DocumentNumbers
{
    /// <summary>The 63 pre-merger province codes that open a personal ID number (zero-padded to 3 digits).</summary>
    private static readonly Lazy<HashSet<string>> IdProvinceCodes = new(() =>
        ReferenceDataSeeder.ReadCsv("provinces-before-2025-07.csv").Select(r => "0" + r["old_province_code"]).ToHashSet(StringComparer.Ordinal));

    /// <summary>Spaces, dots and dashes dropped, letters upper-case: <c>c 123-4567</c> → <c>C1234567</c>.</summary>
    public static string Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return "";
        var chars = raw.Where(c => !char.IsWhiteSpace(c) && c is not '-' and not '.' and not '_' and not '/').Select(char.ToUpperInvariant);
        return new string(chars.ToArray());
    }

    /// <summary>What a 12-digit personal ID number says about its holder.</summary>
    public sealed record PersonalIdFacts(string ProvinceCode, Gender Gender, int BirthYear);

    public enum PersonalIdProblem { None, Malformed, UnknownProvince }

    /// <summary>Digits 1-3: province of birth registration (one of the 63); digit 4: century and gender;
    /// digits 5-6: birth year; digits 7-12: serial.</summary>
    public static PersonalIdProblem ParsePersonalId(string number, out PersonalIdFacts? facts)
    {
        facts = null;
        if (number.Length != 12 || !number.All(char.IsAsciiDigit)) return PersonalIdProblem.Malformed;
        var centuryGender = number[3] - '0';
        if (centuryGender > 5) return PersonalIdProblem.Malformed;
        if (!IdProvinceCodes.Value.Contains(number[..3])) return PersonalIdProblem.UnknownProvince;
        var century = 1900 + centuryGender / 2 * 100;
        var gender = centuryGender % 2 == 0 ? Gender.Male : Gender.Female;
        facts = new PersonalIdFacts(number[..3], gender, century + int.Parse(number.AsSpan(4, 2)));
        return PersonalIdProblem.None;
    }

    /// <summary>Old identity card: 9 digits (some were issued with 12).</summary>
    public static bool IsCmnd(string number) => number.Length is 9 or 12 && number.All(char.IsAsciiDigit);

    /// <summary>Letters and digits only, up to 20; a Vietnamese passport is one letter and 7 digits.</summary>
    public static bool IsPassport(string number, string nationality)
    {
        if (number.Length is 0 or > 20 || !number.All(char.IsAsciiLetterOrDigit)) return false;
        if (nationality == Countries.Vietnam)
            return number.Length == 8 && char.IsAsciiLetter(number[0]) && number[1..].All(char.IsAsciiDigit);
        return true;
    }

    public static bool IsOther(string number) => number.Length is > 0 and <= 30 && number.All(char.IsAsciiLetterOrDigit);
}
