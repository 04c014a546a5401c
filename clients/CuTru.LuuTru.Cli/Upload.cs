using System.Net.Http.Headers;
using System.Text;
using CuTru.LuuTru.Client;
using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Cli;

/// <summary><c>luutru upload</c>: preview, confirm, send in chunks with a progress bar, a line per stay.</summary>
public static class Upload
{

    /// <summary>A piece of the file sent in one call, and where its rows came from in the original file.</summary>
    private sealed record Chunk(byte[] Bytes, string ContentType, IReadOnlyDictionary<int, int> OriginalRow);

    public static async Task<int> RunAsync(Args a)
    {
        var path = a.At(0, "the file");
        if (!File.Exists(path)) throw new UsageException($"no file {path}");
        var chunkSize = a.Int("chunk") ?? 200;
        var bytes = await File.ReadAllBytesAsync(path);
        var chunks = path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || (bytes.Length > 2 && bytes[0] == 'P' && bytes[1] == 'K')
            ? [new Chunk(bytes, MediaTypes.Xlsx, new Dictionary<int, int>())]
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
        var before = sent.Count(i => i.Status == "already-sent");
        Console.Error.WriteLine($"{accepted} đã gửi / sent, {before} đã gửi trước đó / sent before, {sent.Count - accepted - before} không gửi / not sent");
        return accepted + before == sent.Count ? ExitCodes.Ok : ExitCodes.Rejected;
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
            int Row(int r) => map.GetValueOrDefault(r, r);
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
        var records = Csv.Read(Encoding.UTF8.GetString(bytes));
        if (records.Count < 2) return [new Chunk(bytes, MediaTypes.Csv, new Dictionary<int, int>())];
        var groupColumn = records[0].Fields.ToList().FindIndex(h => h.Trim() == Csv.GroupHeader);
        var stays = Csv.GroupStays(records.Skip(1).Where(r => !r.Fields.All(string.IsNullOrWhiteSpace)),
            r => groupColumn >= 0 && groupColumn < r.Fields.Count ? r.Fields[groupColumn] : null);
        return stays.Chunk(Math.Max(1, staysPerChunk)).Select(part =>
        {
            var rows = part.SelectMany(s => s).ToArray();
            var body = records[0].Text + "\r\n" + string.Concat(rows.Select(r => r.Text + "\r\n"));
            // The server numbers the piece's own lines: map them back to the file's.
            var pieceLines = Csv.Read(body).Skip(1).Select(r => r.Line);
            return new Chunk([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(body)], MediaTypes.Csv,
                pieceLines.Zip(rows, (piece, original) => (piece, original.Line)).ToDictionary(x => x.piece, x => x.Item2));
        }).ToList();
    }
}
