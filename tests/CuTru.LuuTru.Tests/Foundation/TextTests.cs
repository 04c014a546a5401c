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
