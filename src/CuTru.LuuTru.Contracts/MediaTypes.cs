namespace CuTru.LuuTru.Contracts;

/// <summary>The media types of the files the hub takes and gives: uploads, report exports.</summary>
public static class MediaTypes
{
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Csv = "text/csv";
    /// <summary>CSV as the hub serves it: UTF-8 (with a byte-order mark, so Excel reads the diacritics).</summary>
    public const string CsvUtf8 = "text/csv; charset=utf-8";
    public const string Pdf = "application/pdf";
}
