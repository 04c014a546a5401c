using System.Text;
using CuTru.LuuTru.Server.Infrastructure;

namespace CuTru.LuuTru.Tests.Foundation;

public sealed class TextTests
{
    [Theory]
    [InlineData("Nguyễn Văn An", "nguyen van an")]
    [InlineData("ĐẶNG THỊ ĐÀO", "dang thi dao")]
    [InlineData("  Trần   Thị\tBích  ", "tran thi bich")]
    [InlineData("Phường Văn Miếu - Quốc Tử Giám", "phuong van mieu - quoc tu giam")]
    [InlineData("Kim Min Jun 김민준", "kim min jun 김민준")] // letters that compose without marks stay composed (NFC)
    public void Fold_drops_diacritics_case_and_extra_spaces(string input, string expected)
    {
        Assert.Equal(expected, Text.Fold(input));
        Assert.Equal(expected, Text.Fold(input.Normalize(NormalizationForm.FormD)));
    }

    [Fact]
    public void Clean_stores_NFC_trimmed_with_single_spaces()
    {
        var decomposed = "  Nguyễn   Văn  An ".Normalize(NormalizationForm.FormD);
        var cleaned = Text.Clean(decomposed);
        Assert.Equal("Nguyễn Văn An", cleaned);
        Assert.True(cleaned!.IsNormalized(NormalizationForm.FormC));
        Assert.NotEqual(decomposed.Trim(), cleaned); // the input really was decomposed
        Assert.Null(Text.Clean(null));
    }
}

public sealed class ErrorCatalogTests
{
    [Fact]
    public void Every_error_code_has_its_messages_and_is_documented_in_the_readme()
    {
        // README "Errors" lists every code clients can meet; the catalog holds the Vietnamese and English message of each.
        var readme = File.ReadAllText(Path.Combine(CuTru.LuuTru.Tests.Infrastructure.TestEnvironment.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("\n## Errors", StringComparison.Ordinal);
        var section = readme[start..readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal)];
        var documented = System.Text.RegularExpressions.Regex.Matches(section, "`([a-z0-9]+(?:-[a-z0-9]+)+|[a-z]+)`")
            .Select(m => m.Groups[1].Value).Where(c => c is not ("code" or "title" or "errors")).ToHashSet();

        Assert.Equal([], ErrorCatalog.All.Keys.Where(c => !documented.Contains(c)).ToArray()); // names what is missing
        Assert.Equal([], documented.Where(c => !ErrorCatalog.All.ContainsKey(c)).ToArray());
        Assert.All(ErrorCatalog.All, e => Assert.False(string.IsNullOrWhiteSpace(e.Value.Vi) || string.IsNullOrWhiteSpace(e.Value.En), e.Key));
    }
}
