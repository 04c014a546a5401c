using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Tests.Infrastructure;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>The worked examples of docs/luu-tru-rules.md (a copy of shared/domain/luu-tru-rules.md), one test each.</summary>
public sealed class RulesWorkedExamplesTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(15);


    private static GuestDto Adult(string id = "001090012345", Gender gender = Gender.Male, string dob = "1990-03-04") =>
        new("Nguyễn Văn An", DateOnly.Parse(dob), gender, new DocumentDto(DocumentType.PersonalId, id));

    private static RuleOutcome Evaluate(string arrival, string notified, params GuestDto[] guests) =>
        Evaluate(arrival, Vn(arrival).AddDays(2).ToString("yyyy-MM-ddTHH:mm"), notified, guests);

    private static RuleOutcome Evaluate(string arrival, string departure, string notified, params GuestDto[] guests) =>
        NotificationRules.Evaluate(
            new NotificationRequest(new StayDto(Vn(arrival), Vn(departure), StayReason.Tourism), guests),
            new RuleContext(Vn(notified), Tolerance, AddressRequired: false));

    private static void NoErrors(RuleOutcome o) => Assert.True(o.Valid, "unexpected errors: " + string.Join(", ", ErrorPaths(o)));

    private static IEnumerable<string> ErrorPaths(RuleOutcome o) =>
        JsonSerializer.Serialize(o.Errors.ToDictionary(false)).Split(',');

    [Fact]
    public void Arrival_at_20_15_notified_21_40_the_same_day_is_on_time()
    {
        var o = Evaluate("2026-11-14T20:15", "2026-11-14T21:40", Adult());
        NoErrors(o);
        Assert.Equal(Vn("2026-11-14T23:00"), o.DeadlineAt);
        Assert.False(o.Late);
        Assert.DoesNotContain(o.Flags, f => f.Code == FlagCodes.Late);
    }

    [Fact]
    public void Arrival_after_23_00_is_due_at_08_00_the_next_morning()
    {
        var o = Evaluate("2026-11-14T23:20", "2026-11-15T07:50", Adult());
        NoErrors(o);
        Assert.Equal(Vn("2026-11-15T08:00"), o.DeadlineAt);
        Assert.False(o.Late);
    }

    [Fact]
    public void Arrival_at_22_30_notified_23_05_is_late_by_5_minutes()
    {
        var o = Evaluate("2026-11-14T22:30", "2026-11-14T23:05", Adult());
        NoErrors(o);
        Assert.True(o.Late);
        var late = Assert.Single(o.Flags, f => f.Code == FlagCodes.Late);
        Assert.Equal(5, late.MinutesLate);
        Assert.Equal("Thông báo muộn 5 phút so với hạn 23:00 14/11/2026.", FlagCodes.Message(late, english: false));
    }

    [Fact]
    public void A_foreign_guest_notified_after_12_hours_is_late_for_the_12_hour_rule()
    {
        var tourist = new GuestDto("John Smith", new DateOnly(1985, 6, 1), Gender.Male, new DocumentDto(DocumentType.Passport, "x 1234-5678"), "usa",
            Foreign: new ForeignDetailsDto("Miễn thị thực", null, new DateOnly(2026, 11, 13), "Sân bay Nội Bài"));
        var o = Evaluate("2026-11-14T10:00", "2026-11-14T23:30", tourist);
        NoErrors(o);
        Assert.Equal(Vn("2026-11-14T22:00"), o.DeadlineAt);
        Assert.True(o.Late);
        var flag = Assert.Single(o.Flags, f => f.Code == FlagCodes.ForeignerLate);
        Assert.Equal(0, flag.GuestIndex);
        Assert.Equal("X12345678", o.Guests[0].DocumentNumber);
        Assert.Equal("USA", o.Guests[0].Nationality);
    }

    [Fact]
    public void A_stay_from_1_November_to_5_December_is_accepted_and_flagged_30_days_or_more()
    {
        var o = Evaluate("2026-11-01T14:00", "2026-12-05T12:00", "2026-11-01T15:00", Adult());
        NoErrors(o);
        Assert.Contains(o.Flags, f => f.Code == FlagCodes.Stay30DaysOrMore);
    }

    [Fact]
    public void Personal_id_001090012345_male_born_1990_is_consistent()
    {
        var o = Evaluate("2026-11-14T20:15", "2026-11-14T21:00", Adult("001090012345", Gender.Male, "1990-03-04"));
        NoErrors(o);
        Assert.Empty(o.Flags);
    }

    [Fact]
    public void Personal_id_001090012345_female_born_1990_is_accepted_and_flagged_for_gender()
    {
        var o = Evaluate("2026-11-14T20:15", "2026-11-14T21:00", Adult("001090012345", Gender.Female, "1990-03-04"));
        NoErrors(o);
        var flag = Assert.Single(o.Flags);
        Assert.Equal(FlagCodes.IdGenderMismatch, flag.Code);
        Assert.Equal(0, flag.GuestIndex);
    }

    [Fact]
    public void Personal_id_003090012345_is_rejected_because_003_is_no_province_code()
    {
        var o = Evaluate("2026-11-14T20:15", "2026-11-14T21:00", Adult("003090012345"));
        Assert.False(o.Valid);
        Assert.Equal("unknown-id-province", Assert.Single(o.Errors.ToDictionary(false)["guests[0].document.number"]).Code);
    }

    [Fact]
    public void A_child_aged_9_without_an_id_number_with_a_parent_is_accepted_and_flagged()
    {
        var child = new GuestDto("Nguyễn Bảo Ngọc", new DateOnly(2017, 5, 20), Gender.Female, new DocumentDto(DocumentType.None));
        var o = Evaluate("2026-11-14T20:15", "2026-11-14T21:00", Adult(), child);
        NoErrors(o);
        var flag = Assert.Single(o.Flags);
        Assert.Equal(FlagCodes.ChildWithoutId, flag.Code);
        Assert.Equal(1, flag.GuestIndex);
        Assert.Equal(DocumentType.None, o.Guests[1].DocumentType);
    }

    [Fact]
    public void An_adult_without_an_id_or_passport_number_is_rejected()
    {
        var adult = new GuestDto("Trần Văn Bình", new DateOnly(1980, 1, 1), Gender.Male, new DocumentDto(DocumentType.PersonalId, " "));
        var o = Evaluate("2026-11-14T20:15", "2026-11-14T21:00", adult);
        Assert.False(o.Valid);
        Assert.Equal("document-required", Assert.Single(o.Errors.ToDictionary(false)["guests[0].document.number"]).Code);
    }

    [Fact]
    public void Cmnd_for_a_stay_that_began_1_August_2026_is_rejected()
    {
        var guest = new GuestDto("Lê Thị Cúc", new DateOnly(1970, 2, 2), Gender.Female, new DocumentDto(DocumentType.Cmnd, "123456789"));
        var o = Evaluate("2026-08-01T12:00", "2026-08-01T13:00", guest);
        Assert.False(o.Valid);
        Assert.Equal("cmnd-not-accepted", Assert.Single(o.Errors.ToDictionary(false)["guests[0].document.type"]).Code);
        Assert.Same(LawVersions.Residence2026, o.Law);
    }

    [Fact]
    public void Cmnd_for_a_stay_that_began_10_May_2026_is_accepted_under_the_2020_rules_even_without_a_date_of_birth()
    {
        var guest = new GuestDto("Lê Thị Cúc", null, Gender.Female, new DocumentDto(DocumentType.Cmnd, "123 456 789"));
        var o = Evaluate("2026-05-10T12:00", "2026-11-22T10:00", guest);
        Assert.Same(LawVersions.Residence2020, o.Law);
        Assert.False(o.Errors.Has("guests[0].document.type"));
        Assert.False(o.Errors.Has("guests[0].dateOfBirth"));
        Assert.Equal("123456789", o.Guests.Single().DocumentNumber);
        Assert.True(o.Late); // an imported paper register is late by definition, and says so
    }

    [Fact]
    public void The_same_id_number_twice_in_one_notification_is_rejected()
    {
        var o = Evaluate("2026-11-14T20:15", "2026-11-14T21:00", Adult("001090012345"), Adult("001-090-012-345"));
        Assert.False(o.Valid);
        Assert.Equal("duplicate-document", Assert.Single(o.Errors.ToDictionary(false)["guests[1].document.number"]).Code);
    }

    // The last worked example (the same ID already staying elsewhere) needs stored stays: it is tested with the intake.

    [Fact]
    public void A_Vietnamese_adult_with_only_a_driving_licence_number_is_refused_from_1_July_2026_and_accepted_before()
    {
        var driver = new GuestDto("Lê Văn Lái", new DateOnly(1985, 2, 3), Gender.Male, new DocumentDto(DocumentType.Other, "790123456789AB"));
        var o = Evaluate("2026-08-01T14:00", "2026-08-01T15:00", driver);
        Assert.False(o.Valid);
        Assert.Equal("personal-id-required", o.Errors.ToDictionary(false)["guests[0].document.type"][0].Code);
        NoErrors(Evaluate("2026-05-10T14:00", "2026-05-10T15:00", driver)); // an imported record, judged by the 2020 text
    }

    private static GuestDto Tourist(string passport = "X1234567", string dob = "1985-06-01") =>
        new("John Smith", DateOnly.Parse(dob), Gender.Male, new DocumentDto(DocumentType.Passport, passport), "USA",
            Foreign: new ForeignDetailsDto("Miễn thị thực", null, new DateOnly(2026, 10, 30), "Sân bay Nội Bài"));

    [Fact]
    public void A_foreign_guest_arriving_at_20_00_and_notified_at_06_00_is_on_time_by_the_12_hour_rule()
    {
        var o = Evaluate("2026-11-14T20:00", "2026-11-15T06:00", Tourist());
        NoErrors(o);
        Assert.Equal(Vn("2026-11-15T08:00"), o.DeadlineAt);
        Assert.False(o.Late);
        Assert.DoesNotContain(o.Flags, f => f.Code is FlagCodes.Late or FlagCodes.ForeignerLate);
    }

    [Fact]
    public void A_foreign_guest_in_a_remote_commune_has_24_hours()
    {
        var o = NotificationRules.Evaluate(
            new NotificationRequest(new StayDto(Vn("2026-11-14T10:00"), Vn("2026-11-17T10:00"), StayReason.Tourism), [Tourist()]),
            new RuleContext(Vn("2026-11-15T08:00"), Tolerance, AddressRequired: false, RemoteCommune: true));
        NoErrors(o);
        Assert.Equal((Vn("2026-11-15T10:00"), false), (o.DeadlineAt, o.Late));
    }

    [Fact]
    public void A_citizen_and_a_foreigner_in_one_stay_each_have_their_deadline_and_the_stay_is_late_if_one_is()
    {
        var o = Evaluate("2026-11-14T20:00", "2026-11-14T23:30", Adult(), Tourist());
        NoErrors(o);
        Assert.Equal((Vn("2026-11-14T23:00"), true), (o.DeadlineAt, o.Late));
        Assert.Contains(o.Flags, f => f.Code == FlagCodes.Late);                 // the citizen's 23:00
        Assert.DoesNotContain(o.Flags, f => f.Code == FlagCodes.ForeignerLate);  // the foreigner's 08:00 not passed
        // Each guest carries their own deadline and lateness.
        Assert.Equal((Vn("2026-11-14T23:00"), true), (o.Guests[0].DeadlineAt, o.Guests[0].Late));
        Assert.Equal((Vn("2026-11-15T08:00"), false), (o.Guests[1].DeadlineAt, o.Guests[1].Late));
    }

    [Fact]
    public void A_Vietnamese_adult_with_personal_id_shown_on_a_driving_licence_and_no_gender_is_accepted_as_male_from_digit_4()
    {
        var guest = new GuestDto("Lê Văn Lái", new DateOnly(1990, 2, 3), null,
            new DocumentDto(DocumentType.PersonalId, "001090012345", DocumentKind.DrivingLicence));
        var o = Evaluate("2026-11-14T20:00", "2026-11-14T21:00", guest);
        NoErrors(o);
        Assert.Equal(Gender.Male, o.Guests[0].Gender);
        Assert.Equal(DocumentKind.DrivingLicence, o.Guests[0].DocumentKind);
        Assert.DoesNotContain(o.Flags, f => f.Code == FlagCodes.IdGenderMismatch);
        // Digit 4 odd: female. Only the document named: a card carries the personal ID number.
        var her = Evaluate("2026-11-14T20:00", "2026-11-14T21:00",
            new GuestDto("Trần Thị Bình", new DateOnly(1990, 2, 3), null, new DocumentDto(null, "001190012345", DocumentKind.CanCuoc)));
        NoErrors(her);
        Assert.Equal((Gender.Female, DocumentType.PersonalId), (her.Guests[0].Gender!.Value, her.Guests[0].DocumentType));
        // A driving licence's own number (not a personal ID number) is still not enough for a citizen.
        var own = Evaluate("2026-11-14T20:00", "2026-11-14T21:00",
            new GuestDto("Lê Văn Lái", new DateOnly(1990, 2, 3), null, new DocumentDto(null, "790123456789AB", DocumentKind.DrivingLicence)));
        Assert.Equal("personal-id-required", own.Errors.ToDictionary(false)["guests[0].document.type"][0].Code);
        // A passport and no gender: none derived, none required.
        var tourist = Evaluate("2026-11-14T20:00", "2026-11-14T21:00", Tourist() with { Gender = null });
        NoErrors(tourist);
        Assert.Null(tourist.Guests[0].Gender);
    }

    [Fact]
    public void A_stay_from_10_00_to_14_00_notified_the_next_day_is_accepted_not_overnight_and_not_late()
    {
        var o = Evaluate("2026-11-14T10:00", "2026-11-14T14:00", "2026-11-15T09:00", Adult());
        NoErrors(o);
        Assert.Contains(o.Flags, f => f.Code == FlagCodes.NotOvernight);
        Assert.Null(o.DeadlineAt);
        Assert.False(o.Late);
        Assert.All(o.Guests, g => Assert.Equal((null, false), (g.DeadlineAt, g.Late)));
        Assert.DoesNotContain(o.Flags, f => f.Code is FlagCodes.Late or FlagCodes.ForeignerLate);
        // Before 2026-07-01 every stay had to be notified: the same day stay was due at 23:00.
        var old = Evaluate("2026-05-14T10:00", "2026-05-14T14:00", "2026-05-15T09:00", Adult());
        Assert.Equal((Vn("2026-05-14T23:00"), true), (old.DeadlineAt, old.Late));
        Assert.DoesNotContain(old.Flags, f => f.Code == FlagCodes.NotOvernight);
    }

    [Theory]
    [InlineData("2026-11-14T10:00", "2026-11-14T23:00", false)] // ends as the night begins
    [InlineData("2026-11-14T10:00", "2026-11-14T23:01", true)]
    [InlineData("2026-11-14T04:59", "2026-11-14T09:00", true)]  // begins inside the night
    [InlineData("2026-11-14T05:00", "2026-11-14T22:59", false)]
    [InlineData("2026-11-14T23:30", "2026-11-15T01:00", true)]
    [InlineData("2026-11-14T06:00", "2026-11-16T06:00", true)]
    public void A_stay_is_overnight_when_it_covers_some_part_of_23_00_to_05_00(string arrival, string departure, bool overnight) =>
        Assert.Equal(overnight, NotificationRules.CoversNight(Vn(arrival), Vn(departure)));

    [Fact]
    public void Missing_visa_and_entry_details_of_a_foreign_guest_are_flagged_not_refused_and_visa_exemption_replaces_the_visa()
    {
        var bare = Tourist() with { Foreign = null };
        var o = Evaluate("2026-11-14T20:00", "2026-11-14T21:00", bare);
        NoErrors(o);
        Assert.Contains(o.Flags, f => f.Code == FlagCodes.ForeignDetailsMissing && f.GuestIndex == 0);

        var exempt = Tourist() with { Foreign = new ForeignDetailsDto(null, null, new DateOnly(2026, 11, 13), "Sân bay Nội Bài", VisaExempt: true) };
        var e = Evaluate("2026-11-14T20:00", "2026-11-14T21:00", exempt);
        NoErrors(e);
        Assert.DoesNotContain(e.Flags, f => f.Code == FlagCodes.ForeignDetailsMissing);
        Assert.True(e.Guests[0].VisaExempt);

        var noPort = Tourist() with { Foreign = new ForeignDetailsDto("DL123456", null, new DateOnly(2026, 11, 13), null) };
        Assert.Contains(Evaluate("2026-11-14T20:00", "2026-11-14T21:00", noPort).Flags, f => f.Code == FlagCodes.ForeignDetailsMissing);
        // An entry after the arrival is a contradiction, still an error.
        var after = Tourist() with { Foreign = new ForeignDetailsDto("DL123456", null, new DateOnly(2026, 11, 20), "Nội Bài") };
        Assert.Equal("entry-after-arrival", Evaluate("2026-11-14T20:00", "2026-11-14T21:00", after).Errors.ToDictionary(false)["guests[0].foreign.entryDate"][0].Code);
    }

    [Fact]
    public void A_foreign_guest_staying_30_days_or_more_is_not_flagged_for_temporary_residence()
    {
        var o = Evaluate("2026-11-01T14:00", "2026-12-05T12:00", "2026-11-01T15:00", Tourist());
        NoErrors(o);
        Assert.DoesNotContain(o.Flags, f => f.Code == FlagCodes.Stay30DaysOrMore);
    }

    [Fact]
    public void A_child_of_8_alone_without_an_ID_is_accepted_and_flagged_without_ID_and_unaccompanied()
    {
        var child = new GuestDto("Nguyễn Bé Na", new DateOnly(2018, 5, 6), Gender.Female, new DocumentDto(DocumentType.None));
        var o = Evaluate("2026-11-14T20:00", "2026-11-14T21:00", child);
        NoErrors(o);
        Assert.Contains(o.Flags, f => f.Code == FlagCodes.ChildWithoutId && f.GuestIndex == 0);
        Assert.Contains(o.Flags, f => f.Code == FlagCodes.UnaccompaniedMinor && f.GuestIndex == 0);
        Assert.DoesNotContain("người lớn đi cùng", FlagCodes.Message(o.Flags.First(f => f.Code == FlagCodes.ChildWithoutId), english: false));
        // With a parent in the same notification it is not unaccompanied.
        Assert.DoesNotContain(Evaluate("2026-11-14T20:00", "2026-11-14T21:00", Adult(), child).Flags, f => f.Code == FlagCodes.UnaccompaniedMinor);
    }
}

public sealed class RulesEdgeTests
{

    [Fact]
    public void Every_error_of_a_notification_is_reported_at_once_by_path()
    {
        var request = new NotificationRequest(
            new StayDto(Vn("2026-11-15T10:00"), Vn("2026-11-15T09:00"), StayReason.Other),
            [
                new GuestDto("", new DateOnly(2030, 1, 1), null, new DocumentDto(DocumentType.Passport, "AB#123"), "XYZ"),
                null,
            ]);
        var o = NotificationRules.Evaluate(request, new RuleContext(Vn("2026-11-14T10:00"), TimeSpan.FromMinutes(15), AddressRequired: true));
        var errors = o.Errors.ToDictionary(false);
        Assert.Equal("arrival-in-future", errors["stay.arrivalAt"][0].Code);
        Assert.Equal("departure-before-arrival", errors["stay.departureAt"][0].Code);
        Assert.Equal("required", errors["stay.reasonDetail"][0].Code);
        Assert.Equal("required", errors["stay.address"][0].Code);
        Assert.Equal("required", errors["stay.communeCode"][0].Code);
        Assert.Equal("required", errors["guests[0].fullName"][0].Code);
        Assert.False(errors.ContainsKey("guests[0].gender"));   // not in the law's list: optional
        Assert.Equal("dob-in-future", errors["guests[0].dateOfBirth"][0].Code);
        Assert.Equal("unknown-country", errors["guests[0].nationality"][0].Code);
        Assert.Equal("invalid-passport", errors["guests[0].document.number"][0].Code);
        Assert.False(errors.ContainsKey("guests[0].foreign"));  // missing visa and entry details are flagged, not refused
        Assert.Equal("required", errors["guests[1]"][0].Code);
    }

    [Theory]
    [InlineData("00109001234", "invalid-personal-id")]   // 11 digits
    [InlineData("00169001234A", "invalid-personal-id")]  // a letter
    [InlineData("001690012345", "invalid-personal-id")]  // digit 4 is 6: no century
    [InlineData("097090012345", "unknown-id-province")]  // 097 is no province
    public void Malformed_personal_ids_are_errors(string number, string code)
    {
        var guest = new GuestDto("Phạm Văn Dũng", new DateOnly(1990, 1, 1), Gender.Male, new DocumentDto(DocumentType.PersonalId, number));
        var o = NotificationRules.Evaluate(new NotificationRequest(new StayDto(Vn("2026-11-14T12:00"), Vn("2026-11-15T12:00"), StayReason.Work), [guest]),
            new RuleContext(Vn("2026-11-14T13:00"), TimeSpan.Zero, false));
        Assert.Equal(code, o.Errors.ToDictionary(false)["guests[0].document.number"][0].Code);
    }

    [Fact]
    public void A_birth_year_that_disagrees_with_digits_4_to_6_is_flagged_and_2000s_births_read_right()
    {
        var born2003 = new GuestDto("Võ Thị Hoa", new DateOnly(2003, 7, 7), Gender.Female, new DocumentDto(DocumentType.PersonalId, "079303000001"));
        var wrongYear = new GuestDto("Võ Văn Hùng", new DateOnly(1991, 7, 7), Gender.Male, new DocumentDto(DocumentType.PersonalId, "079090000002"));
        var o = NotificationRules.Evaluate(new NotificationRequest(new StayDto(Vn("2026-11-14T12:00"), Vn("2026-11-15T12:00"), StayReason.Work), [born2003, wrongYear]),
            new RuleContext(Vn("2026-11-14T13:00"), TimeSpan.Zero, false));
        Assert.True(o.Valid);
        var flag = Assert.Single(o.Flags);
        Assert.Equal((FlagCodes.IdBirthYearMismatch, (int?)1), (flag.Code, flag.GuestIndex));
    }

    [Fact]
    public void A_vietnamese_passport_is_one_letter_and_seven_digits()
    {
        var ok = new GuestDto("Đặng Văn Em", new DateOnly(1990, 1, 1), Gender.Male, new DocumentDto(DocumentType.Passport, "c1234567"));
        var bad = ok with { FullName = "Đặng Văn Út", Document = new DocumentDto(DocumentType.Passport, "CC123456") };
        var o = NotificationRules.Evaluate(new NotificationRequest(new StayDto(Vn("2026-11-14T12:00"), Vn("2026-11-15T12:00"), StayReason.Work), [ok, bad]),
            new RuleContext(Vn("2026-11-14T13:00"), TimeSpan.Zero, false));
        Assert.False(o.Errors.Has("guests[0].document.number"));
        Assert.Equal("invalid-vn-passport", o.Errors.ToDictionary(false)["guests[1].document.number"][0].Code);
    }

    [Fact]
    public void Times_without_an_offset_are_vietnam_time()
    {
        var stay = JsonSerializer.Deserialize<StayDto>("""{"arrivalAt":"2026-11-14T20:15","departureAt":"2026-11-15T12:00:00Z","reason":"visiting-family"}""", LuuTruServerFactory.Json)!;
        Assert.Equal(Vn("2026-11-14T20:15"), stay.ArrivalAt);
        Assert.Equal(TimeSpan.FromHours(7), stay.ArrivalAt!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero), stay.DepartureAt);
        Assert.Equal(StayReason.VisitingFamily, stay.Reason);
    }

    [Fact]
    public void The_law_in_force_is_chosen_by_the_day_the_stay_began_in_vietnam()
    {
        Assert.Same(LawVersions.Residence2020, LawVersions.InForceOn(new DateOnly(2026, 6, 30)));
        Assert.Same(LawVersions.Residence2026, LawVersions.InForceOn(new DateOnly(2026, 7, 1)));
        Assert.Same(LawVersions.Residence2020, LawVersions.InForceOn(new DateOnly(2015, 1, 1)));
        // 2026-06-30 17:30 UTC is already 1 July in Vietnam.
        Assert.Equal(new DateOnly(2026, 7, 1), VietnamTime.DayOf(new DateTimeOffset(2026, 6, 30, 17, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Every_country_the_platform_knows_is_a_known_nationality()
    {
        // An oracle of its own: every region ICU (through .NET) knows by an ISO 3166-1 alpha-3 code, and the ICAO codes
        // passports also carry.
        var regions = System.Globalization.CultureInfo.GetCultures(System.Globalization.CultureTypes.SpecificCultures)
            .Select(c => new System.Globalization.RegionInfo(c.Name).ThreeLetterISORegionName)
            .Where(code => code.Length == 3 && code.All(char.IsAsciiLetterUpper) && !code.StartsWith('X') && code != "DGA").Distinct().ToList(); // DGA: Diego Garcia, ICU's own, not ISO
        Assert.True(regions.Count > 100, $"only {regions.Count} regions: ICU missing?");
        Assert.All(regions, code => Assert.True(Countries.IsKnown(code), code));
        Assert.All(["VNM", "KOR", "ALA", "BES", "CUW", "SXM", "SSD", "GBD", "UNO", "XXA", "RKS"], code => Assert.True(Countries.IsKnown(code), code));
        Assert.False(Countries.IsKnown("XYZ"));
    }

    [Fact]
    public void Every_flag_has_words_in_both_languages_for_the_reports_and_a_message()
    {
        foreach (var code in FlagCodes.All)
        {
            Assert.NotEqual(code, FlagCodes.Label(code));                 // Vietnamese words, never the code
            Assert.NotEqual(code, FlagCodes.Label(code, english: true));
            Assert.NotEqual(code, FlagCodes.Message(new Flag(code, 0, Vn("2026-11-14T23:00"), 5), english: false));
        }
        Assert.Equal(typeof(FlagCodes).GetFields().Count(f => f.IsLiteral), FlagCodes.All.Length); // every code is in the list
    }
}
