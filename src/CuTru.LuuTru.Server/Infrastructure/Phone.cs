namespace CuTru.LuuTru.Server.Infrastructure;

public static class Phone
{
    private static readonly PhoneNumbers.PhoneNumberUtil Numbers = PhoneNumbers.PhoneNumberUtil.GetInstance();

    /// <summary>One form per number, whatever way it was written (libphonenumber, region Vietnam): a Vietnamese number as
    /// its ten national digits (<c>0912 345 678</c>, <c>+84 912 345 678</c> and <c>84912345678</c> are all
    /// <c>0912345678</c>), another country's in E.164 (<c>+821012345678</c>); null when it cannot be a phone number.</summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 40) return null;
        if (raw.Any(c => !(char.IsAsciiDigit(c) || c is '+' or ' ' or '.' or '-' or '(' or ')'))) return null;
        try
        {
            var number = Numbers.Parse(raw, "VN");
            if (!Numbers.IsPossibleNumber(number)) return null;
            return number.CountryCode == 84
                ? "0" + number.NationalNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : Numbers.Format(number, PhoneNumbers.PhoneNumberFormat.E164);
        }
        catch (PhoneNumbers.NumberParseException)
        {
            return null;
        }
    }
}
