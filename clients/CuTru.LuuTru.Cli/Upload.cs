using System.Net.Http.Headers;
using System.Text;
using CuTru.LuuTru.Client;
using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Cli;

/// <summary><c>luutru upload</c>: preview, confirm, send in chunks with a progress bar, a line per stay.</summary>
public static class Upload
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>A piece of the file sent in one call, and where its rows came from in the original file.</summary>
    private sealed record Chunk(byte[] Bytes, string ContentType, int[] OriginalRow);

    public static async Task<int> RunAsync(Args a)
    {
        var path = a.At(0, "the file");
        if (!File.Exists(path)) throw new UsageException($"no file {path}");
        var chunkSize = a.Get("chunk") is { } c ? int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : 200;
        var bytes = await File.ReadAllBytesAsync(path);
        var chunks = path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || (bytes.Length > 2 && bytes[0] == 'P' && bytes[1] == 'K')
            ? [new Chunk(bytes, Xlsx, [])]
            : SplitCsv(bytes, chunkSize);
        var api = LuuTruClient.Create(Config.Resolve(a).Options);

        var preview = await SendAllAsync(api, chunks, "preview", "xem trước / preview");
        var valid = preview.Sum(i => i.Status == "valid" ? 1 : 0);
        var rejected = preview.Count - valid;
        Print(preview);
        Console.Error.WriteLine($"{valid} hợp lệ / valid, {rejected} có lỗi / with problems");
        if (a.Flag("preview")) return rejected > 0 ? ExitCodes.Rejected : ExitCodes.Ok;
        if (valid == 0) return ExitCodes.Rejected;
        if (rejected > 0 && !a.Flag("yes"))
        {
            if (Console.IsInputRedirected)
            {
                Console.Error.WriteLine("some rows have problems: nothing sent. Fix them, or send the valid stays with --yes.");
                return ExitCodes.Rejected;
            }
            Console.Error.Write($"Gửi {valid} thông báo hợp lệ? / Send the {valid} valid notifications? [y/N] ");
            if (Console.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes" or "c" or "co" or "có")) return ExitCodes.Rejected;
        }
        var sent = await SendAllAsync(api, chunks, "send", "gửi / sending");
        Print(sent);
        var accepted = sent.Count(i => i.Status == "accepted");
        Console.Error.WriteLine($"{accepted} đã gửi / sent, {sent.Count - accepted} không gửi / not sent");
        return accepted == sent.Count ? ExitCodes.Ok : ExitCodes.Rejected;
    }

    private static async Task<List<UploadItemDto>> SendAllAsync(ILuuTruApi api, IReadOnlyList<Chunk> chunks, string mode, string label)
    {
        var items = new List<UploadItemDto>();
        for (var i = 0; i < chunks.Count; i++)
        {
            Progress(label, i, chunks.Count);
            var content = new ByteArrayContent(chunks[i].Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(chunks[i].ContentType);
            var report = await api.UploadAsync(mode, content);
            var map = chunks[i].OriginalRow;
            // Row numbers back to the original file's.
            int Row(int r) => map.Length == 0 ? r : map[r - 2];
            items.AddRange(report.Items.Select(x => x with
            {
                Rows = x.Rows.Select(Row).ToList(),
                Problems = x.Problems.Select(p => p with { Row = Row(p.Row) }).ToList(),
            }));
        }
        Progress(label, chunks.Count, chunks.Count);
        return items;
    }

    private static void Progress(string label, int done, int total)
    {
        if (Console.IsErrorRedirected)
        {
            if (total > 1 && done > 0) Console.Error.WriteLine($"{label}: {done}/{total}");
            return;
        }
        const int width = 30;
        var filled = total == 0 ? width : width * done / total;
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('-', width - filled)}] {done}/{total}");
        if (done == total) Console.Error.WriteLine();
    }

    private static void Print(IEnumerable<UploadItemDto> items)
    {
        foreach (var i in items)
        {
            var rows = string.Join(",", i.Rows);
            if (i.Status == "rejected")
                foreach (var p in i.Problems) Console.WriteLine($"dòng {p.Row}\trejected\t{p.Column}: {p.Message}");
            else Console.WriteLine($"dòng {rows}\t{i.Status}\t{i.ReceiptNumber ?? ""}");
        }
    }

    /// <summary>The CSV cut between stays (rows of one "Nhóm" stay together), each piece with the header.</summary>
    private static List<Chunk> SplitCsv(byte[] bytes, int staysPerChunk)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        var records = Records(text);
        if (records.Count < 2) return [new Chunk(bytes, "text/csv", [])];
        var header = records[0];
        var separator = header.Count(ch => ch == ';') > header.Count(ch => ch == ',') ? ';' : ',';
        var groupColumn = Fields(header, separator).FindIndex(h => h.Trim() == "Nhóm");
        var stays = new List<List<int>>();
        var byGroup = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 1; i < records.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(records[i])) continue;
            var fields = Fields(records[i], separator);
            var key = groupColumn >= 0 && groupColumn < fields.Count ? fields[groupColumn].Trim() : "";
            if (key.Length > 0 && byGroup.TryGetValue(key, out var existing)) { existing.Add(i); continue; }
            var stay = new List<int> { i };
            stays.Add(stay);
            if (key.Length > 0) byGroup[key] = stay;
        }
        return stays.Chunk(Math.Max(1, staysPerChunk)).Select(part =>
        {
            var rows = part.SelectMany(s => s).ToArray();
            var body = header + "\r\n" + string.Concat(rows.Select(r => records[r] + "\r\n"));
            return new Chunk([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(body)], "text/csv", rows.Select(r => r + 1).ToArray());
        }).ToList();
    }

    /// <summary>The CSV's records as written (a quoted field may hold line breaks).</summary>
    private static List<string> Records(string text)
    {
        var records = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var ch in text)
        {
            if (ch == '"') quoted = !quoted;
            if (!quoted && ch == '\n') { records.Add(current.ToString().TrimEnd('\r')); current.Clear(); continue; }
            current.Append(ch);
        }
        if (current.Length > 0) records.Add(current.ToString().TrimEnd('\r'));
        return records;
    }

    private static List<string> Fields(string record, char separator)
    {
        var fields = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < record.Length; i++)
        {
            var ch = record[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < record.Length && record[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == separator) { fields.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        fields.Add(cell.ToString());
        return fields;
    }
}
