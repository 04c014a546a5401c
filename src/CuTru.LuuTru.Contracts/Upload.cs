namespace CuTru.LuuTru.Contracts;

/// <summary>A problem of an uploaded file, where the user can find it: the file's row (the header is row 1) and column.</summary>
public sealed record UploadProblemDto(int Row, string? Column, string Code, string Message);

/// <summary>One notification of the file (a stay: the rows sharing a group number), what became of it or would.
/// <c>Status</c>: <c>valid</c> (preview), <c>accepted</c>, <c>rejected</c>, or <c>already-sent</c>: a guest of it is already
/// staying there, notified before (the same check-in sent again, e.g. a corrected file uploaded anew): nothing is sent
/// and <c>ReceiptNumber</c> is the earlier receipt.</summary>
public sealed record UploadItemDto(int Index, IReadOnlyList<int> Rows, string Status, Guid? Id, string? ReceiptNumber, bool? Late,
    IReadOnlyList<FlagDto> Flags, IReadOnlyList<UploadProblemDto> Problems);

/// <summary>Answer of <c>POST /api/v1/notifications/upload?mode=preview|send</c>: every row accounted for.</summary>
public sealed record UploadReportDto(string Mode, int Rows, int Notifications, int Accepted, int Rejected, IReadOnlyList<UploadItemDto> Items,
    int AlreadySent = 0);
