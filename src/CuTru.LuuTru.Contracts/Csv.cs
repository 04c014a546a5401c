using System.Text;

namespace CuTru.LuuTru.Contracts;

/// <summary>The CSV of the upload files and report exports, read the same way by the server, the CLI and the tests:
/// RFC 4180 (quoted fields, doubled quotes, line breaks inside quotes), CRLF or LF, an optional UTF-8 byte-order mark,
/// comma or semicolon (Excel in some locales) as found in the header.</summary>
public static class Csv
{
    /// <summary>A record: the file line it starts on (the header is line 1), its raw text, and its fields.</summary>
    public sealed record Record(int Line, string Text, IReadOnlyList<string> Fields);

    public static List<Record> Read(string text)
    {
        text = text.TrimStart('\uFEFF');
        var firstLine = text.Split('\n', 2)[0];
        var separator = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ';' : ',';
        var records = new List<Record>();
        var fields = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var (line, start, startLine) = (1, 0, 1);
        void End(int end)
        {
            fields.Add(cell.ToString());
            cell.Clear();
            records.Add(new Record(startLine, text[start..end].TrimEnd('\r'), fields));
            fields = [];
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { cell.Append(c); if (c == '\n') line++; }
            }
            else if (c == '"') quoted = true;
            else if (c == separator) { fields.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n') { End(i); line++; start = i + 1; startLine = line; }
            else cell.Append(c);
        }
        if (start < text.Length) End(text.Length);
        return records;
    }

    /// <summary>A whole file: the rows written as below, UTF-8 with a byte-order mark so Excel reads the diacritics.</summary>
    public static byte[] Utf8WithBom(IEnumerable<IEnumerable<string>> rows)
    {
        var sb = new StringBuilder();
        foreach (var row in rows) Write(sb, row);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>One line of fields, quoted where needed, ended by CRLF.</summary>
    public static void Write(StringBuilder sb, IEnumerable<string> cells)
    {
        sb.AppendJoin(',', cells.Select(c => c.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + c.Replace("\"", "\"\"") + "\"" : c));
        sb.Append("\r\n");
    }

    /// <summary>The upload file's column that ties the rows of one stay together (guests staying together).</summary>
    public const string GroupHeader = "Nhóm";

    /// <summary>Rows grouped into stays by their group key, in file order: rows with the same key belong to the stay
    /// of its first row; a row without a key is a stay of its own. The server judges the stays; the CLI cuts a large
    /// file between them. Reading stops once <paramref name="maxStays"/> stays have begun or <paramref name="maxRows"/> rows
    /// were read (rows are read one by one: a file of 400,000 rows is not read through to say it has too many).</summary>
    public static List<List<T>> GroupStays<T>(IEnumerable<T> rows, Func<T, string?> groupKey, int maxStays = int.MaxValue, int maxRows = int.MaxValue)
    {
        var stays = new List<List<T>>();
        var byKey = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        var read = 0;
        foreach (var row in rows)
        {
            read++;
            var key = groupKey(row)?.Trim() ?? "";
            if (key.Length > 0 && byKey.TryGetValue(key, out var existing)) existing.Add(row);
            else
            {
                var stay = new List<T> { row };
                stays.Add(stay);
                if (key.Length > 0) byKey[key] = stay;
            }
            if (stays.Count >= maxStays || read >= maxRows) break;
        }
        return stays;
    }
}
