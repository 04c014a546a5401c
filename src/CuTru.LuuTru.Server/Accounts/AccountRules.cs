using System.Net.Mail;

namespace CuTru.LuuTru.Server.Accounts;

public static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>Emails are compared trimmed and lower-case.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static bool IsValid(string email)
    {
        var e = email.Trim();
        if (e.Length is 0 or > MaxLength || e.Contains(' ')) return false;
        return MailAddress.TryCreate(e, out var parsed) && parsed.Address == e && e.IndexOf('@') > 0 && e.LastIndexOf('.') > e.IndexOf('@');
    }
}

public static class PasswordRules
{
    public const int MinLength = 10;
    public const int MaxLength = 128;
}
