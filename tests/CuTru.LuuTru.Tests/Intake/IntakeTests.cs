using System.Net;
using System.Net.Http.Json;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>Notifications through the real server into PostgreSQL.</summary>
public sealed class IntakeTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00070";

    private async Task<(EstablishmentDto Hotel, HttpClient Client)> HotelAsync(string commune = Commune)
    {
        var hotel = await server.CreateEstablishmentAsync(commune, name: "Khách sạn " + Guid.NewGuid().ToString("N")[..6]);
        var key = await server.CreateApiKeyAsync(hotel.Id);
        return (hotel, server.WithApiKey(key.ApiKey));
    }

    private static NotificationRequest Family(DateTimeOffset arrival, string parentId = "001090012345") => new(
        new StayDto(arrival, arrival.AddDays(2), StayReason.Tourism, Room: "301"),
        [
            new GuestDto("Nguyễn Văn An".Normalize(NormalizationForm.FormD), new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, parentId)),
            new GuestDto("  Nguyễn   Bảo Ngọc ", new DateOnly(2017, 5, 20), Gender.Female, new DocumentDto(DocumentType.None)),
        ],
        ExternalRef: "BK-1001");

    [Fact]
    public async Task A_notification_gets_a_receipt_at_once_and_is_recorded_with_clean_text()
    {
        server.Clock.Set(Vn("2026-11-14T21:40"));
        var (hotel, client) = await HotelAsync();

        var response = await client.PostAsJsonAsync("/api/v1/notifications", Family(Vn("2026-11-14T20:15")), LuuTruServerFactory.Json);
        await Expect.Status(response, HttpStatusCode.Accepted);
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Matches(@"^00070-261114-\d{4}$", receipt.ReceiptNumber);
        Assert.Equal(Vn("2026-11-14T23:00"), receipt.DeadlineAt);
        Assert.False(receipt.Late);
        var child = Assert.Single(receipt.Flags);
        Assert.Equal(("child-without-id", (int?)1), (child.Code, child.GuestIndex));
        Assert.Equal($"/api/v1/notifications/{receipt.Id}", response.Headers.Location?.OriginalString);

        Assert.Equal(NotificationStatus.Accepted, receipt.Status);
        var stored = await WaitRecordedAsync(client, receipt.Id);
        Assert.Equal(receipt.ReceiptNumber, stored.ReceiptNumber);
        Assert.Equal(hotel.Id, stored.EstablishmentId);
        Assert.Equal("1 Đường Thử", stored.Address);
        Assert.Equal("BK-1001", stored.ExternalRef);
        Assert.Equal("api", stored.Channel);
        Assert.Equal("residence-2026", stored.LawVersion);
        Assert.Equal("Nguyễn Văn An", stored.Guests[0].FullName);
        Assert.True(stored.Guests[0].FullName.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("Nguyễn Bảo Ngọc", stored.Guests[1].FullName);
        var key = await server.WithDbAsync(db => db.NotificationGuests.Where(g => g.NotificationId == receipt.Id && g.Index == 0).Select(g => g.NameKey).SingleAsync());
        Assert.Equal("nguyen van an", key);
    }

    [Fact]
    public async Task Receipt_numbers_count_per_commune_and_day()
    {
        server.Clock.Set(Vn("2026-11-16T10:00"));
        var (_, a) = await HotelAsync("00004");
        var (_, b) = await HotelAsync("00235");
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
            numbers.Add((await Submit(a, Family(Vn("2026-11-16T09:00"), IdFor(i))))!.ReceiptNumber);
        var other = (await Submit(b, Family(Vn("2026-11-16T09:00"))))!.ReceiptNumber;

        Assert.Equal(["00004-261116-0001", "00004-261116-0002", "00004-261116-0003"], numbers);
        Assert.Equal("00235-261116-0001", other);
        Assert.True(ReceiptNumber.TryParse(other, out var parts));
        Assert.Equal(("00235", new DateOnly(2026, 11, 16), 1L), parts);
    }

    [Fact]
    public async Task An_invalid_notification_gets_every_error_and_nothing_is_stored()
    {
        server.Clock.Set(Vn("2026-11-14T21:40"));
        var (hotel, client) = await HotelAsync();
        var bad = Family(Vn("2026-11-14T20:15"), parentId: "003090012345") with { Stay = new StayDto(Vn("2026-11-14T20:15"), Vn("2026-11-14T19:00"), null) };

        var problem = await Expect.Problem(await client.PostAsJsonAsync("/api/v1/notifications", bad, LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "stay.departureAt", "departure-before-arrival");
        Expect.Field(problem, "stay.reason", "required");
        var id = Expect.Field(problem, "guests[0].document.number", "unknown-id-province");
        Assert.Contains("003", id.Message);

        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == hotel.Id)));
    }

    [Fact]
    public async Task Values_that_cannot_be_read_are_field_errors_reported_with_every_other_error()
    {
        server.Clock.Set(Vn("2026-11-14T21:40"));
        var (hotel, client) = await HotelAsync();
        var body = """
            {"stay": {"arrivalAt": "2026-11-14T25:99", "departureAt": "2026-11-16T10:00", "reason": "holiday", "room": 301},
             "guests": [
               {"fullName": "", "dateOfBirth": "1990-13-45", "gender": "male", "document": {"type": "personal-id", "number": "003090012345"}},
               {"fullName": "Nguyễn Bé", "dateOfBirth": "2017-05-20", "dateOfBirthYearOnly": "yes", "document": {"type": "none"}},
               "not a guest"
             ]}
            """;
        var response = await client.PostAsync("/api/v1/notifications", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await Expect.Problem(response, HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "stay.arrivalAt", "invalid-date-time");
        Assert.Contains("tourism", Expect.Field(problem, "stay.reason", "invalid-choice").Message);
        Expect.Field(problem, "stay.room", "invalid-text");
        Expect.Field(problem, "guests[0].dateOfBirth", "invalid-date");
        Expect.Field(problem, "guests[1].dateOfBirthYearOnly", "invalid-boolean");
        Expect.Field(problem, "guests[2]", "invalid-object");
        // ... and, in the same answer, what the rules say of the rest.
        Expect.Field(problem, "guests[0].fullName", "required");
        Expect.Field(problem, "guests[0].document.number", "unknown-id-province");
        Assert.Single(problem.Errors!["stay.arrivalAt"]); // not also "required"
        Assert.Single(problem.Errors!["guests[0].dateOfBirth"]);

        // In a batch, each item gets its own; the whole call still answers.
        var batch = await client.PostAsync("/api/v1/notifications/batch/validate", new StringContent(
            $$"""{"notifications": [{{body}}, 7]}""", Encoding.UTF8, "application/json"));
        await Expect.Status(batch, HttpStatusCode.OK);
        var items = (await batch.Content.ReadFromJsonAsync<BatchResponse>(LuuTruServerFactory.Json))!.Items;
        Assert.Contains(items[0].Problem!.Errors!["guests[0].dateOfBirth"], e => e.Code == "invalid-date");
        Assert.Contains(items[1].Problem!.Errors!.Values.SelectMany(e => e), e => e.Code == "invalid-object");

        // Text that is not JSON at all is still malformed-json.
        await Expect.Problem(await client.PostAsync("/api/v1/notifications", new StringContent("{\"stay\": ", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "malformed-json");
        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == hotel.Id)));
    }

    [Fact]
    public async Task Validate_answers_like_the_real_call_and_stores_nothing()
    {
        server.Clock.Set(Vn("2026-11-14T23:05"));
        var (hotel, client) = await HotelAsync();

        var ok = await client.PostAsJsonAsync("/api/v1/notifications/validate", Family(Vn("2026-11-14T22:30")), LuuTruServerFactory.Json);
        await Expect.Status(ok, HttpStatusCode.OK);
        var result = (await ok.Content.ReadFromJsonAsync<ValidationResultDto>(LuuTruServerFactory.Json))!;
        Assert.True(result.Valid);
        Assert.True(result.Late);
        Assert.Equal(Vn("2026-11-14T23:00"), result.DeadlineAt);
        Assert.Contains(result.Flags, f => f.Code == "late" && f.Message.Contains("5 phút"));

        var bad = Family(Vn("2026-11-14T22:30")) with { Guests = [] };
        var validateProblem = await Expect.Problem(await client.PostAsJsonAsync("/api/v1/notifications/validate", bad, LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed");
        var realProblem = await Expect.Problem(await client.PostAsJsonAsync("/api/v1/notifications", bad, LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal(realProblem.Errors!.Keys.Order(), validateProblem.Errors!.Keys.Order());

        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == hotel.Id)));
    }

    [Fact]
    public async Task A_document_still_staying_at_another_place_is_flagged_but_not_at_the_same_place()
    {
        server.Clock.Set(Vn("2026-11-17T12:00"));
        var (_, first) = await HotelAsync();
        var (_, second) = await HotelAsync();
        const string id = "079090000777";
        var firstStay = await Submit(first, Family(Vn("2026-11-17T10:00"), id));
        await WaitRecordedAsync(first, firstStay!.Id);

        // The same guest notified again at the same place while staying there: the same check-in twice, refused, naming
        // the first receipt (rules doc: "already staying here"); the first call's Idempotency-Key would replay instead.
        var again = await Expect.Problem(await first.PostAsJsonAsync("/api/v1/notifications", Family(Vn("2026-11-17T11:00"), id), LuuTruServerFactory.Json),
            HttpStatusCode.Conflict, "already-staying-here");
        var duplicate = Assert.Single(again.Errors!).Value.Single();
        Assert.Equal("already-staying-here-receipt", duplicate.Code);
        Assert.Contains(firstStay.ReceiptNumber, duplicate.Message);

        var elsewhere = await Submit(second, Family(Vn("2026-11-17T11:30"), id));
        Assert.DoesNotContain(elsewhere!.Flags, f => f.Code == "staying-elsewhere"); // for the police, not the hotel

        // The flag the intake found is recorded, for the police.
        await WaitRecordedAsync(second, elsewhere.Id);
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        async Task<IReadOnlyList<FlagDto>> PoliceFlagsAsync(Guid notification) =>
            (await officer.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{notification}", LuuTruServerFactory.Json))!.Flags;
        Assert.Equal(0, Assert.Single(await PoliceFlagsAsync(elsewhere.Id), f => f.Code == "staying-elsewhere").GuestIndex);

        // Once checked out everywhere else, the guest is staying nowhere else.
        await Expect.Status(await first.PostAsJsonAsync($"/api/v1/notifications/{firstStay.Id}/checkout", new CheckoutRequest(), LuuTruServerFactory.Json),
            HttpStatusCode.OK);
        var (_, third) = await HotelAsync();
        var afterCheckout = await Submit(third, Family(Vn("2026-11-17T11:45"), "079090000888") with
        {
            Guests = [new GuestDto("Nguyễn Văn An", new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, id))],
        });
        // Still staying at the second hotel, so still flagged; the first hotel no longer counts.
        await WaitRecordedAsync(third, afterCheckout!.Id);
        Assert.Single(await PoliceFlagsAsync(afterCheckout.Id), f => f.Code == "staying-elsewhere");
        await Expect.Status(await second.PostAsJsonAsync($"/api/v1/notifications/{elsewhere.Id}/checkout", new CheckoutRequest(), LuuTruServerFactory.Json), HttpStatusCode.OK);
        await WaitRecordedAsync(third, afterCheckout.Id);
        await Expect.Status(await third.PostAsJsonAsync($"/api/v1/notifications/{afterCheckout.Id}/checkout", new CheckoutRequest(), LuuTruServerFactory.Json),
            HttpStatusCode.OK);
        var free = await Submit(third, Family(Vn("2026-11-17T11:50"), "079090000889") with
        {
            Guests = [new GuestDto("Nguyễn Văn An", new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, id))],
        });
        await WaitRecordedAsync(third, free!.Id);
        Assert.DoesNotContain(await PoliceFlagsAsync(free.Id), f => f.Code == "staying-elsewhere");
    }

    [Fact]
    public async Task Only_approved_establishments_notify_and_each_reads_only_its_own()
    {
        server.Clock.Set(Vn("2026-11-14T21:00"));
        var pending = await server.CreateEstablishmentAsync(Commune, approve: false);
        using var pendingClient = server.WithApiKey((await server.CreateApiKeyAsync(pending.Id)).ApiKey);
        await Expect.Problem(await pendingClient.PostAsJsonAsync("/api/v1/notifications", Family(Vn("2026-11-14T20:00")), LuuTruServerFactory.Json),
            HttpStatusCode.Forbidden, "forbidden");

        var (_, mine) = await HotelAsync();
        var (_, peer) = await HotelAsync();
        var receipt = await Submit(mine, Family(Vn("2026-11-14T20:00"), "001090011111"));
        await Expect.Problem(await peer.GetAsync($"/api/v1/notifications/{receipt!.Id}"), HttpStatusCode.NotFound, "not-found");

        var (_, officer) = await server.CreateOfficerAsync(Commune);
        await Expect.Status(await officer.GetAsync($"/api/v1/notifications/{receipt.Id}"), HttpStatusCode.OK);
        var (_, elsewhere) = await server.CreateOfficerAsync("00004");
        await Expect.Problem(await elsewhere.GetAsync($"/api/v1/notifications/{receipt.Id}"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await officer.PostAsJsonAsync("/api/v1/notifications", Family(Vn("2026-11-14T20:00")), LuuTruServerFactory.Json),
            HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task The_reason_table_is_public_and_kebab_case()
    {
        using var client = server.Anonymous();
        var reasons = await client.GetFromJsonAsync<List<ReasonDto>>("/api/v1/reasons", LuuTruServerFactory.Json);
        Assert.Equal(8, reasons!.Count);
        Assert.True(Assert.Single(reasons, r => r.Code == StayReason.Other).DetailRequired);
        Assert.Contains("\"visiting-family\"", await client.GetStringAsync("/api/v1/reasons"));
    }

    [Fact]
    public async Task The_same_passport_already_staying_here_is_refused_naming_the_receipt_while_its_key_still_replays()
    {
        server.Clock.Set(Vn("2026-11-16T15:00"));
        var (_, hotel) = await HotelAsync();
        var guest = new NotificationRequest(new StayDto(Vn("2026-11-16T14:00"), Vn("2026-11-19T12:00"), StayReason.Tourism),
            [new GuestDto("Kim Min Jun", new DateOnly(1991, 2, 3), Gender.Male, new DocumentDto(DocumentType.Passport, "M87654321"), "KOR",
                Foreign: new ForeignDetailsDto("Miễn thị thực", null, new DateOnly(2026, 11, 16), "Sân bay Nội Bài"))]);
        var first = await hotel.SendAsync(Stays.Post(guest, "pms-checkin-1"));
        await Expect.Status(first, HttpStatusCode.Accepted);
        var receipt = (await first.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;

        // The PMS retries with its key: the first answer. Sends it again without a key: the same check-in, refused.
        var retried = await hotel.SendAsync(Stays.Post(guest, "pms-checkin-1"));
        await Expect.Status(retried, HttpStatusCode.Accepted);
        Assert.Equal(receipt.ReceiptNumber, (await retried.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.ReceiptNumber);
        var twice = await Expect.Problem(await hotel.SendAsync(Stays.Post(guest with { Stay = guest.Stay! with { ArrivalAt = Vn("2026-11-16T14:30") } }, null)),
            HttpStatusCode.Conflict, "already-staying-here");
        Assert.Contains(receipt.ReceiptNumber, twice.Errors!["guests[0].document.number"].Single().Message);

        // In a batch, that item alone is refused, with the receipt; the others go.
        var batch = await hotel.PostAsJsonAsync("/api/v1/notifications/batch",
            new BatchRequest([guest, Stays.One(Vn("2026-11-16T14:10"), "001090000551")]), LuuTruServerFactory.Json);
        await Expect.Status(batch, HttpStatusCode.OK);
        var items = (await batch.Content.ReadFromJsonAsync<BatchResponse>(LuuTruServerFactory.Json))!.Items;
        Assert.Equal(("already-sent", 409, "already-staying-here"), (items[0].Status, items[0].Problem!.Status, items[0].Problem!.Code));
        Assert.Equal(receipt.ReceiptNumber, items[0].ReceiptNumber);
        Assert.Contains(receipt.ReceiptNumber, items[0].Problem!.Errors!["guests[0].document.number"].Single().Message);
        Assert.Equal("accepted", items[1].Status);

        // Once checked out, the guest may check in here again.
        await WaitRecordedAsync(hotel, receipt.Id);
        await Expect.Status(await hotel.PostAsJsonAsync($"/api/v1/notifications/{receipt.Id}/checkout", new CheckoutRequest(), LuuTruServerFactory.Json),
            HttpStatusCode.OK);
        await Expect.Status(await hotel.SendAsync(Stays.Post(guest, null)), HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task An_admin_marks_a_commune_remote_and_foreign_guests_there_get_24_hours()
    {
        server.Clock.Set(Vn("2026-11-15T08:00"));
        const string commune = "00091";
        using var client = await Stays.HotelClientAsync(server, commune);
        var tourist = new NotificationRequest(new StayDto(Vn("2026-11-14T10:00"), Vn("2026-11-18T10:00"), StayReason.Tourism),
            [new GuestDto("Kim Min Jun", new DateOnly(1991, 2, 3), Gender.Male, new DocumentDto(DocumentType.Passport, "M12345678"), "KOR",
                Foreign: new ForeignDetailsDto("Miễn thị thực", null, new DateOnly(2026, 11, 14), "Sân bay Nội Bài"))]);
        async Task<ValidationResultDto> JudgeAsync()
        {
            var response = await client.PostAsJsonAsync("/api/v1/notifications/validate", tourist, LuuTruServerFactory.Json);
            await Expect.Status(response, HttpStatusCode.OK);
            return (await response.Content.ReadFromJsonAsync<ValidationResultDto>(LuuTruServerFactory.Json))!;
        }
        Assert.Equal((Vn("2026-11-14T22:00"), true), ((await JudgeAsync()).DeadlineAt, (await JudgeAsync()).Late)); // 12 hours

        var (_, officer) = await server.CreateOfficerAsync(commune);
        await Expect.Problem(await officer.PutAsJsonAsync($"/api/v1/communes/{commune}/remote", new CommuneRemoteRequest(true), LuuTruServerFactory.Json),
            HttpStatusCode.Forbidden, "forbidden");
        using var admin = await server.SignInAsAdminAsync();
        var marked = await admin.PutAsJsonAsync($"/api/v1/communes/{commune}/remote", new CommuneRemoteRequest(true), LuuTruServerFactory.Json);
        await Expect.Status(marked, HttpStatusCode.OK);
        Assert.True((await marked.Content.ReadFromJsonAsync<CommuneDto>(LuuTruServerFactory.Json))!.Remote);
        Assert.True((await server.Anonymous().GetFromJsonAsync<CommuneDto>($"/api/v1/communes/{commune}", LuuTruServerFactory.Json))!.Remote);

        var remote = await JudgeAsync();
        Assert.Equal((Vn("2026-11-15T10:00"), false), (remote.DeadlineAt, remote.Late)); // 24 hours
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>("/api/v1/audit?action=commune.remote", LuuTruServerFactory.Json))!;
        Assert.Contains(trail.Items, a => a.EntityId == commune);

        await Expect.Status(await admin.PutAsJsonAsync($"/api/v1/communes/{commune}/remote", new CommuneRemoteRequest(false), LuuTruServerFactory.Json),
            HttpStatusCode.OK);
        Assert.True((await JudgeAsync()).Late);
        await Expect.Problem(await admin.PutAsJsonAsync($"/api/v1/communes/{commune}/remote", new CommuneRemoteRequest(null), LuuTruServerFactory.Json),
            HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Each_guest_is_recorded_with_their_own_deadline_a_derived_gender_the_document_shown_and_visa_exemption()
    {
        server.Clock.Set(Vn("2026-11-14T23:30"));
        var (_, client) = await HotelAsync();
        var request = new NotificationRequest(new StayDto(Vn("2026-11-14T20:00"), Vn("2026-11-16T10:00"), StayReason.Tourism),
        [
            new GuestDto("Trần Thị Bình", new DateOnly(1990, 1, 2), null, new DocumentDto(null, "001190056789", DocumentKind.DrivingLicence)),
            new GuestDto("Anna Müller", new DateOnly(1988, 7, 1), null, new DocumentDto(DocumentType.Passport, "C01X00T47"), "DEU",
                Foreign: new ForeignDetailsDto(null, null, new DateOnly(2026, 11, 10), "Sân bay Tân Sơn Nhất", VisaExempt: true)),
        ]);
        var receipt = (await Submit(client, request))!;
        Assert.Equal((Vn("2026-11-14T23:00"), true), (receipt.DeadlineAt, receipt.Late)); // the citizen's 23:00 passed
        var stored = await WaitRecordedAsync(client, receipt.Id);
        var (citizen, foreigner) = (stored.Guests[0], stored.Guests[1]);
        Assert.Equal((Gender.Female, DocumentType.PersonalId, DocumentKind.DrivingLicence),
            (citizen.Gender!.Value, citizen.DocumentType, citizen.DocumentKind!.Value));
        Assert.Equal((Vn("2026-11-14T23:00"), true), (citizen.DeadlineAt, citizen.Late));
        Assert.Equal((Vn("2026-11-15T08:00"), false), (foreigner.DeadlineAt, foreigner.Late));
        Assert.Null(foreigner.Gender);
        Assert.True(foreigner.Foreign!.VisaExempt);
        Assert.DoesNotContain(stored.Flags, f => f.Code == "foreign-details-missing");
    }

    [Fact]
    public async Task The_national_systems_reason_code_and_a_guests_residence_are_kept_as_given()
    {
        server.Clock.Set(Vn("2026-11-14T15:00"));
        var (_, client) = await HotelAsync();
        // A national reason code alone (5, Hội nghị): the hub's reason follows from it and the code is kept.
        var request = new NotificationRequest(new StayDto(Vn("2026-11-14T14:00"), Vn("2026-11-16T10:00"), null, ReasonCode: 5),
            [new GuestDto("Lê Văn Hội", new DateOnly(1980, 3, 4), null, new DocumentDto(DocumentType.PersonalId, "001080012345"),
                ResidenceKind: ResidenceKind.Temporary, ResidenceCommuneCode: "00082", PermanentAddress: "12 Hàng Gai")]);
        var stored = await WaitRecordedAsync(client, (await Submit(client, request))!.Id);
        Assert.Equal((StayReason.Business, 5), (stored.Reason, stored.ReasonCode));
        Assert.Equal((ResidenceKind.Temporary, "00082"), (stored.Guests[0].ResidenceKind, stored.Guests[0].ResidenceCommuneCode));

        // Code 20 ("Mục đích khác") needs its detail; a code outside 1–20 and an unknown commune are refused by field.
        var bad = await client.PostAsJsonAsync("/api/v1/notifications", request with
        {
            Stay = request.Stay! with { ReasonCode = 21 },
            Guests = [request.Guests![0]! with { ResidenceCommuneCode = "99999" }],
        }, LuuTruServerFactory.Json);
        var problem = await Expect.Problem(bad, HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "stay.reasonCode", "unknown-reason-code");
        Expect.Field(problem, "guests[0].residenceCommuneCode", "unknown-commune");
        var other = await client.PostAsJsonAsync("/api/v1/notifications", request with { Stay = request.Stay! with { ReasonCode = 20 } }, LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(other, HttpStatusCode.BadRequest, "validation-failed"), "stay.reasonDetail", "required");
    }

    [Fact]
    public async Task A_day_stay_is_recorded_not_overnight_with_no_deadline_and_never_late()
    {
        server.Clock.Set(Vn("2026-11-15T09:00"));
        var (_, client) = await HotelAsync();
        var receipt = (await Submit(client, new NotificationRequest(new StayDto(Vn("2026-11-14T10:00"), Vn("2026-11-14T14:00"), StayReason.Business),
            [new GuestDto("Phạm Văn Cường", new DateOnly(1980, 5, 6), Gender.Male, new DocumentDto(DocumentType.PersonalId, IdFor(77)))])))!;
        Assert.Null(receipt.DeadlineAt);
        Assert.False(receipt.Late);
        Assert.Contains(receipt.Flags, f => f.Code == "not-overnight");
        var stored = await WaitRecordedAsync(client, receipt.Id);
        Assert.Equal((null, false), (stored.DeadlineAt, stored.Late));
        Assert.Null(stored.Guests[0].DeadlineAt);
    }

    /// <summary>The drain records buffered notifications within a second or so; wait for it (bounded).</summary>
    internal static async Task<NotificationDto> WaitRecordedAsync(HttpClient client, Guid id, TimeSpan? timeout = null)
    {
        var n = await Eventually.UntilAsync(
            async () => (await client.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{id}", LuuTruServerFactory.Json))!,
            n => n.Status != NotificationStatus.Accepted, timeout);
        Assert.NotEqual(NotificationStatus.Accepted, n.Status); // not recorded in time
        return n;
    }

    private static string IdFor(int i) => $"0010900{i:00000}";

    private static async Task<NotificationReceiptDto?> Submit(HttpClient client, NotificationRequest request)
    {
        var response = await client.PostAsJsonAsync("/api/v1/notifications", request, LuuTruServerFactory.Json);
        await Expect.Status(response, HttpStatusCode.Accepted);
        return await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json);
    }
}
