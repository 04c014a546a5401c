using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>A stored notification as its readers get it (the establishment, the police search, the lifecycle answers).</summary>
public static class NotificationViews
{
    /// <summary>Whether the caller may read a notification: its own establishment (anyone else's answered 404, as if it
    /// did not exist), or police of its area (others 403). Null when they may.</summary>
    public static async Task<ProblemResult?> MayReadAsync(HttpContext http, Notification n)
    {
        var caller = http.Caller();
        if (caller.IsEstablishmentActor) return n.EstablishmentId == caller.EstablishmentId ? null : Problems.NotFound();
        return await AreaAccess.MaySeeAsync(http, n.CommuneCode, n.ProvinceCode) ? null : Problems.Forbidden();
    }

    /// <summary>As the caller may see it: in their language; police see every flag, submitters not the police-only ones
    /// (staying elsewhere: where a person is staying is not the submitter's to learn).</summary>
    public static NotificationDto ToDto(Notification n, HttpContext http) =>
        ToDto(n, ErrorCatalog.PrefersEnglish(http), http.Caller().IsPolice);

    public static NotificationDto ToDto(Notification n, bool english, bool police) => new(
        n.Id, n.ReceiptNumber, n.Status, WireEnum.Name(n.Channel), n.EstablishmentId, n.CommuneCode, n.Address, n.ArrivalAt, n.DepartureAt,
        n.Reason, n.ReasonDetail, n.Room, n.ExternalRef, n.AcceptedAt, n.DeadlineAt, n.Late, n.LawVersion,
        police ? Flags.RenderForPolice(n.Flags, english) : Flags.Render(n.Flags, english),
        n.Guests.OrderBy(g => g.Index).Select(g => new RecordedGuestDto(
            g.Index, g.FullName, g.DateOfBirth, g.DateOfBirthYearOnly, g.Gender, g.DocumentType, g.DocumentNumber, g.Nationality, g.Phone,
            g.PermanentAddress,
            g.Nationality == Countries.Vietnam ? null
                : new ForeignDetailsDto(g.VisaOrResidenceDocument, g.VisaValidUntil, g.EntryDate, g.EntryPort, g.VisaExempt ? true : null),
            g.CheckedOutAt, g.DocumentKind, g.DeadlineAt, g.Late, g.ResidenceKind, g.ResidenceCommuneCode)).ToList(),
        n.CheckedOutAt, n.CancelledAt, n.ReceivedAt, n.ReceivedBy,
        n.HostName is null && n.HostPhone is null && !n.NotifiedByGuest ? null : new NotifierDto(n.HostName, n.HostPhone, n.NotifiedByGuest),
        ReasonCode: n.ReasonCode);
}
