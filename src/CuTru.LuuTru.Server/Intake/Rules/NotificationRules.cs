using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Establishments;
using CuTru.LuuTru.Server.Infrastructure;

namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>What the rules need to know besides the request.</summary>
/// <param name="NotifiedAt">When the notification reached the hub.</param>
/// <param name="ArrivalFutureTolerance">How far in the future an arrival may lie (clocks differ).</param>
/// <param name="AddressRequired">Households and officers give the stay's address and commune; establishments have their own.</param>
/// <param name="RemoteCommune">The stay's commune is marked remote: foreign guests are due within 24 hours instead of 12.</param>
public sealed record RuleContext(DateTimeOffset NotifiedAt, TimeSpan ArrivalFutureTolerance, bool AddressRequired, bool RemoteCommune = false);

/// <summary>A guest as stored: text cleaned (NFC, trimmed), number normalised, name folded for search.</summary>
public sealed record NormalizedGuest(
    string FullName,
    string NameKey,
    DateOnly? DateOfBirth,
    bool DateOfBirthYearOnly,
    Gender? Gender,
    DocumentType DocumentType,
    string? DocumentNumber,
    string Nationality,
    string? Phone,
    string? PermanentAddress,
    string? VisaOrResidenceDocument,
    DateOnly? VisaValidUntil,
    DateOnly? EntryDate,
    string? EntryPort,
    DocumentKind? DocumentKind = null,
    bool VisaExempt = false,
    DateTimeOffset? DeadlineAt = null,
    bool Late = false,
    ResidenceKind? ResidenceKind = null,
    string? ResidenceCommuneCode = null)
{
    public bool Foreigner => Nationality != Countries.Vietnam;
}

/// <summary>The verdict: errors (nothing may be stored), or the cleaned notification with its deadline and flags.</summary>
public sealed record RuleOutcome(
    FieldErrors Errors,
    LawVersion Law,
    DateTimeOffset? DeadlineAt,
    bool Late,
    IReadOnlyList<Flag> Flags,
    IReadOnlyList<NormalizedGuest> Guests,
    DateTimeOffset? ArrivalAt,
    DateTimeOffset? DepartureAt,
    StayReason? Reason,
    string? ReasonDetail,
    string? Room,
    string? Address,
    string? ExternalRef,
    int? ReasonCode = null)
{
    public bool Valid => !Errors.Any;
}

/// <summary>The rules of luu-tru-rules.md, applied to one notification. Pure: no database, no clock but the context's.</summary>
public static class NotificationRules
{
    public const int MaxGuests = 100;
    public const int ChildAge = 14;
    /// <summary>No stay begins more than this after its notification was received: an arrival in the future is allowed
    /// up to LuuTru:Intake:ArrivalFutureToleranceMinutes (at most this), an officer's or a file's reception time at most
    /// this before the arrival. So arrivals from X were received from X minus this: a dated search reads only the months
    /// from there on (the register is partitioned by received_at).</summary>
    public static readonly TimeSpan ArrivalAfterReceptionLimit = TimeSpan.FromDays(1);
    public static readonly TimeSpan LongStay = TimeSpan.FromDays(30);
    /// <summary>A planned departure further than this after the arrival is a typing error (a stay of years is residence).</summary>
    public const int MaxStayYears = 5;

    public static RuleOutcome Evaluate(NotificationRequest request, RuleContext ctx)
    {
        var errors = new FieldErrors();
        var flags = new List<Flag>();
        var stay = request.Stay;

        if (stay is null) errors.Add("stay", "required");
        var arrival = stay?.ArrivalAt;
        var departure = stay?.DepartureAt;
        if (stay is not null)
        {
            if (arrival is null) errors.Add("stay.arrivalAt", "required");
            else if (arrival > ctx.NotifiedAt + ctx.ArrivalFutureTolerance) errors.Add("stay.arrivalAt", "arrival-in-future");
            if (departure is null) errors.Add("stay.departureAt", "required");
            else if (arrival is not null && departure <= arrival) errors.Add("stay.departureAt", "departure-before-arrival");
            else if (arrival is not null && departure > arrival.Value.AddYears(MaxStayYears)) errors.Add("stay.departureAt", "departure-too-far", MaxStayYears);
            if (stay.Reason is null && stay.ReasonCode is null) errors.Add("stay.reason", "required");
        }
        // The national reason code is kept as given; without a reason of the hub's own, that follows from it.
        var reason = stay?.Reason;
        int? reasonCode = null;
        if (stay?.ReasonCode is { } code)
        {
            if (Kbtt.KbttCodes.ReasonOf(code) is { } national) { reasonCode = code; reason ??= national.StayReason; }
            else errors.Add("stay.reasonCode", "unknown-reason-code");
        }
        var detailRequired = reasonCode is { } c ? Kbtt.KbttCodes.ReasonOf(c)!.NeedsDetail : reason == StayReason.Other;
        var reasonDetail = errors.Text("stay.reasonDetail", stay?.ReasonDetail, 200, required: detailRequired && stay is not null);
        var room = errors.Text("stay.room", stay?.Room, 20, required: false);
        var address = errors.Text("stay.address", stay?.Address, 300, required: ctx.AddressRequired && stay is not null);
        if (ctx.AddressRequired && stay is not null && string.IsNullOrWhiteSpace(stay.CommuneCode)) errors.Add("stay.communeCode", "required");
        var externalRef = errors.Text("externalRef", request.ExternalRef, 100, required: false);

        var stayStart = VietnamTime.DayOf(arrival ?? ctx.NotifiedAt);
        var law = LawVersions.InForceOn(stayStart);

        var guests = new List<NormalizedGuest>();
        if (request.Guests is null || request.Guests.Count == 0) errors.Add("guests", "required");
        else if (request.Guests.Count > MaxGuests) errors.Add("guests", "too-many", MaxGuests);
        else
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < request.Guests.Count; i++)
            {
                var g = Guest(request.Guests[i], $"guests[{i}]", i, law, stayStart, errors, flags, seen);
                if (g is not null) guests.Add(g);
            }
        }

        // Each guest's own deadline: citizens 23:00 / 08:00 (Residence Law art. 30), foreigners 12 hours, 24 in a remote
        // commune (Immigration Law art. 33). The stay is due at the earliest and late if any guest is. From 2026-07-01
        // only overnight stays must be notified (art. 30 as amended): a stay that covers no part of 23:00-05:00 is
        // recorded, flagged, with no deadline.
        var start = arrival ?? ctx.NotifiedAt;
        var overnight = !law.OvernightOnly || arrival is null || departure is null || CoversNight(arrival.Value, departure.Value);
        DateTimeOffset? deadline = null;
        if (!overnight) flags.Add(new Flag(FlagCodes.NotOvernight));
        else
        {
            var citizenDeadline = Deadlines.General(start);
            var foreignerDeadline = Deadlines.Foreigner(start, ctx.RemoteCommune);
            for (var i = 0; i < guests.Count; i++)
            {
                var due = guests[i].Foreigner ? foreignerDeadline : citizenDeadline;
                guests[i] = guests[i] with { DeadlineAt = due, Late = ctx.NotifiedAt > due };
            }
            if (guests.Any(g => !g.Foreigner) || guests.Count == 0)
            {
                deadline = citizenDeadline;
                if (ctx.NotifiedAt > citizenDeadline)
                    flags.Add(new Flag(FlagCodes.Late, Deadline: citizenDeadline, MinutesLate: MinutesBetween(citizenDeadline, ctx.NotifiedAt)));
            }
            if (guests.Any(g => g.Foreigner))
            {
                if (deadline is null || foreignerDeadline < deadline) deadline = foreignerDeadline;
                for (var i = 0; i < guests.Count; i++)
                    if (guests[i].Foreigner && guests[i].Late)
                        flags.Add(new Flag(FlagCodes.ForeignerLate, i, foreignerDeadline, MinutesBetween(foreignerDeadline, ctx.NotifiedAt)));
            }
        }
        var late = flags.Any(f => f.Code is FlagCodes.Late or FlagCodes.ForeignerLate);
        var citizens = guests.Count == 0 || guests.Any(g => !g.Foreigner);
        // Temporary residence from 30 days on is for citizens (Residence Law art. 27).
        if (arrival is not null && departure is not null && departure - arrival >= LongStay && citizens)
            flags.Add(new Flag(FlagCodes.Stay30DaysOrMore));
        // A child with no adult in the same notification.
        if (guests.Count > 0 && guests.All(g => IsChildOn(g.DateOfBirth, g.DateOfBirthYearOnly, stayStart)))
            foreach (var i in Enumerable.Range(0, guests.Count)) flags.Add(new Flag(FlagCodes.UnaccompaniedMinor, i));

        return new RuleOutcome(errors, law, deadline, late, flags, guests, arrival, departure,
            reason, reasonDetail, room, address, externalRef, reasonCode);
    }

    private static NormalizedGuest? Guest(GuestDto? g, string path, int index, LawVersion law, DateOnly stayStart,
        FieldErrors errors, List<Flag> flags, Dictionary<string, int> seen)
    {
        if (g is null) { errors.Add(path, "required"); return null; }
        var before = errors.Count;

        var name = errors.Text($"{path}.fullName", g.FullName, 100);
        var gender = g.Gender;

        var nationality = string.IsNullOrWhiteSpace(g.Nationality) ? Countries.Vietnam : Countries.Resolve(g.Nationality) ?? g.Nationality.Trim().ToUpperInvariant();
        if (!Countries.IsKnown(nationality)) errors.Add($"{path}.nationality", "unknown-country");
        var foreigner = nationality != Countries.Vietnam;

        var yearOnly = g.DateOfBirthYearOnly == true;
        var dob = g.DateOfBirth is { } d && yearOnly ? new DateOnly(d.Year, 1, 1) : g.DateOfBirth;
        if (dob is null) { if (law.DateOfBirthRequired) errors.Add($"{path}.dateOfBirth", "required"); }
        else if (dob > stayStart) errors.Add($"{path}.dateOfBirth", "dob-in-future");
        else if (dob.Value.Year < 1900) errors.Add($"{path}.dateOfBirth", "invalid-value");
        var child = IsChildOn(dob, yearOnly, stayStart);

        var kind = g.Document?.Kind;
        var number = DocumentNumbers.Normalize(g.Document?.Number);
        var type = g.Document?.Type ?? (kind is { } k && number.Length > 0 ? TypeShownBy(k, number, foreigner) : DocumentType.None);
        var numberPath = $"{path}.document.number";
        if (type == DocumentType.None || number.Length == 0)
        {
            if (child) { flags.Add(new Flag(FlagCodes.ChildWithoutId, index)); type = DocumentType.None; number = ""; }
            else if (g.Document?.Type is null && g.Document is null) errors.Add($"{path}.document", "document-required");
            else errors.Add(type == DocumentType.None ? $"{path}.document.type" : numberPath, "document-required");
        }
        else
        {
            switch (type)
            {
                case DocumentType.PersonalId when foreigner:
                case DocumentType.Cmnd when foreigner:
                    errors.Add($"{path}.document.type", "document-not-for-foreigner");
                    break;
                case DocumentType.PersonalId:
                    switch (DocumentNumbers.ParsePersonalId(number, out var facts))
                    {
                        case DocumentNumbers.PersonalIdProblem.Malformed: errors.Add(numberPath, "invalid-personal-id"); break;
                        case DocumentNumbers.PersonalIdProblem.UnknownProvince: errors.Add(numberPath, "unknown-id-province", number[..3]); break;
                        default:
                            // Gender is not in the law's list: when absent it follows from digit 4.
                            if (gender is null) gender = facts!.Gender;
                            else if (gender != facts!.Gender) flags.Add(new Flag(FlagCodes.IdGenderMismatch, index));
                            if (dob is { } born && born.Year != facts!.BirthYear) flags.Add(new Flag(FlagCodes.IdBirthYearMismatch, index));
                            break;
                    }
                    break;
                case DocumentType.Cmnd:
                    if (!law.CmndAccepted) errors.Add($"{path}.document.type", "cmnd-not-accepted");
                    else if (!DocumentNumbers.IsCmnd(number)) errors.Add(numberPath, "invalid-cmnd");
                    break;
                case DocumentType.Passport:
                    if (!DocumentNumbers.IsPassport(number, nationality)) errors.Add(numberPath, foreigner ? "invalid-passport" : "invalid-vn-passport");
                    break;
                case DocumentType.Other when !foreigner && !child && !law.OtherDocumentAcceptedForCitizens:
                    // Art. 30(2) as amended: the personal identification number (a driving licence's number is not one).
                    errors.Add($"{path}.document.type", "personal-id-required");
                    break;
                default:
                    if (!DocumentNumbers.IsOther(number)) errors.Add(numberPath, "invalid-value");
                    break;
            }
            // Personal ID and CMND numbers name one person whatever the type said; passports are per country.
            var identity = type == DocumentType.Passport ? $"P:{nationality}:{number}" : $"N:{number}";
            if (seen.TryGetValue(identity, out var first)) errors.Add(numberPath, "duplicate-document", first + 1);
            else seen[identity] = index;
        }

        var phone = g.Phone is null ? null : Phone.Normalize(g.Phone);
        if (g.Phone is not null && phone is null) errors.Add($"{path}.phone", "invalid-phone");
        var permanentAddress = errors.Text($"{path}.permanentAddress", g.PermanentAddress, 300, required: false);
        var residenceCommune = string.IsNullOrWhiteSpace(g.ResidenceCommuneCode) ? null : g.ResidenceCommuneCode.Trim();
        if (residenceCommune is not null && Kbtt.KbttCodes.CommuneOfGso(residenceCommune) is null)
            errors.Add($"{path}.residenceCommuneCode", "unknown-commune");

        // The national system does not collect visa and entry details: what is missing is flagged, never refused.
        string? visa = null, entryPort = null;
        var visaExempt = false;
        if (foreigner)
        {
            var f = g.Foreign;
            visaExempt = f?.VisaExempt == true;
            visa = errors.Text($"{path}.foreign.visaOrResidenceDocument", f?.VisaOrResidenceDocument, 50, required: false);
            entryPort = EntryPorts.Canonical(errors.Text($"{path}.foreign.entryPort", f?.EntryPort, 100, required: false));
            if (f?.EntryDate > stayStart) errors.Add($"{path}.foreign.entryDate", "entry-after-arrival");
            if ((visa is null && !visaExempt) || f?.EntryDate is null || entryPort is null)
                flags.Add(new Flag(FlagCodes.ForeignDetailsMissing, index));
        }

        if (errors.Count > before) return null;
        return new NormalizedGuest(name!, Text.Fold(name), dob, yearOnly, gender, type, number.Length == 0 ? null : number,
            nationality, phone, permanentAddress, visa, foreigner ? g.Foreign?.ValidUntil : null, foreigner ? g.Foreign?.EntryDate : null,
            entryPort, kind, visaExempt, ResidenceKind: g.ResidenceKind, ResidenceCommuneCode: residenceCommune);
    }

    /// <summary>The kind of number a document carries when only the document is named: the identity cards and the
    /// personal-ID notice carry the personal ID number; a 12-digit old card's number is one too; a passport its own; any
    /// other document of a citizen that shows a valid personal ID number carries that (a driving licence issued since
    /// 2025 does), else its own number.</summary>
    public static DocumentType TypeShownBy(DocumentKind kind, string number, bool foreigner) => kind switch
    {
        DocumentKind.Cccd or DocumentKind.CanCuoc or DocumentKind.PersonalIdNotice => DocumentType.PersonalId,
        DocumentKind.Cmnd => number.Length == 12 ? DocumentType.PersonalId : DocumentType.Cmnd,
        DocumentKind.Passport => DocumentType.Passport,
        _ when !foreigner && DocumentNumbers.ParsePersonalId(number, out _) == DocumentNumbers.PersonalIdProblem.None => DocumentType.PersonalId,
        _ => DocumentType.Other,
    };

    /// <summary>The stay covers some part of a night, 23:00-05:00 Vietnam time (luu-tru-rules.md, "Overnight"): it
    /// begins inside one, or lasts past the next 23:00.</summary>
    public static bool CoversNight(DateTimeOffset arrival, DateTimeOffset departure)
    {
        var time = VietnamTime.TimeOf(arrival);
        if (time < NightEnds || time >= Deadlines.NightCutoff) return true;
        return departure > VietnamTime.At(VietnamTime.DayOf(arrival), Deadlines.NightCutoff);
    }

    private static readonly TimeOnly NightEnds = new(5, 0);

    /// <summary>Under 14 on the day the stay begins (Vietnam time). With only a year known, the youngest age the guest
    /// can be (born 31 December): a child is never refused, nor counted as an adult, over it. The rules and the report
    /// both ask this.</summary>
    public static bool IsChildOn(DateOnly? dateOfBirth, bool yearOnly, DateOnly day) =>
        dateOfBirth is { } born && AgeOn(yearOnly ? new DateOnly(born.Year, 12, 31) : born, day) < ChildAge;

    internal static int AgeOn(DateOnly born, DateOnly day)
    {
        var age = day.Year - born.Year;
        if (day < born.AddYears(age)) age--;
        return age;
    }

    private static int MinutesBetween(DateTimeOffset from, DateTimeOffset to) => (int)Math.Ceiling((to - from).TotalMinutes);
}
