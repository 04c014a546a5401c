using System.Net.Mail;

namespace CuTru.LuuTru.Server.Accounts;

public static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>Emails are compared trimmed and lower-case.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>A required email field: its normalized address, or null with the error recorded at <paramref name="path"/>.</summary>
    public static string? Read(Infrastructure.FieldErrors errors, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) { errors.Add(path, "required"); return null; }
        if (!IsValid(value)) { errors.Add(path, "invalid-email"); return null; }
        return Normalize(value);
    }

    public static bool IsValid(string email)
    {
        var e = email.Trim();
        if (e.Length is 0 or > MaxLength || e.Contains(' ')) return false;
        return MailAddress.TryCreate(e, out var parsed) && parsed.Address == e && e.IndexOf('@') > 0 && e.LastIndexOf('.') > e.IndexOf('@');
    }
}

/// <summary>What a new password must be: at least 12 characters, and not one of the common passwords people are
/// known to choose (5,000 of them shipped as data, <c>Accounts/Data/common-passwords.txt</c>), nor one with digits or
/// symbols tacked on, nor a few characters repeated.</summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    private static readonly Lazy<HashSet<string>> Common = new(() =>
    {
        using var stream = typeof(PasswordRules).Assembly.GetManifestResourceStream("Accounts.common-passwords.txt")
            ?? throw new InvalidOperationException("missing Accounts/Data/common-passwords.txt");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && line[0] != '#') set.Add(line);
        return set;
    });

    private static readonly char[] Padding = "0123456789!@#$%^&*()._-+=?~ ".ToCharArray();

    /// <summary>Why a new password is refused (an error code: too-short, too-long, password-too-common), or null.</summary>
    public static string? Problem(string password, string? email = null)
    {
        if (password.Length < MinLength) return "too-short";
        if (password.Length > MaxLength) return "too-long";
        var lower = password.ToLowerInvariant();
        var bare = lower.Trim(Padding);
        var local = email?.Split('@')[0].ToLowerInvariant();
        if (Common.Value.Contains(lower) || bare.Length == 0 || Common.Value.Contains(bare) || lower.Distinct().Count() < 5
            || (local is { Length: >= 4 } && bare == local))
            return "password-too-common";
        return null;
    }

    /// <summary>A required new password: its problem, if any, recorded at <paramref name="path"/>.</summary>
    public static void Check(Infrastructure.FieldErrors errors, string path, string? password, string? email)
    {
        if (string.IsNullOrEmpty(password)) errors.Add(path, "required");
        else if (Problem(password, email) is { } weak) errors.Add(path, weak, weak == "too-long" ? MaxLength : MinLength);
    }

    public static int CommonCount => Common.Value.Count;
}
