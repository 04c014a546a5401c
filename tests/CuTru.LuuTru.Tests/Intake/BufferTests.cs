using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Tests.Foundation;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

internal static class Stays
{

    public static NotificationRequest One(DateTimeOffset arrival, string id = "001090012345", string name = "Trần Văn Khách") => new(
        new StayDto(arrival, arrival.AddDays(1), StayReason.Business),
        [new GuestDto(name, new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, id))]);

    public static async Task<HttpClient> HotelClientAsync(LuuTruServerFactory server, string commune = "00070")
    {
        var hotel = await server.CreateEstablishmentAsync(commune, name: "Khách sạn " + Guid.NewGuid().ToString("N")[..6]);
        return server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
    }

    public static HttpRequestMessage Post(NotificationRequest body, string? idempotencyKey) =>
        new(HttpMethod.Post, "/api/v1/notifications")
        {
            Content = JsonContent.Create(body, options: LuuTruServerFactory.Json),
            Headers = { { "Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString() } },
        };
}

public sealed class IdempotencyAndBufferTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task The_same_key_and_body_get_the_first_answer_and_are_stored_once()
    {
        server.Clock.Set(Vn("2026-11-18T10:00"));
        using var client = await Stays.HotelClientAsync(server);
        var body = Stays.One(Vn("2026-11-18T09:00"), "001090020001");

        var first = await client.SendAsync(Stays.Post(body, "booking-77"));
        await Expect.Status(first, HttpStatusCode.Accepted);
        var a = (await first.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var second = await client.SendAsync(Stays.Post(body, "booking-77"));
        await Expect.Status(second, HttpStatusCode.Accepted);
        var b = (await second.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;

        Assert.Equal((a.Id, a.ReceiptNumber), (b.Id, b.ReceiptNumber));
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        await IntakeTests.WaitRecordedAsync(client, a.Id);
        Assert.Equal(1, await server.WithDbAsync(db => db.NotificationGuests.CountAsync(g => g.DocumentNumber == "001090020001")));

        var other = await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T09:30"), "001090020001"), "booking-77"));
        await Expect.Problem(other, (HttpStatusCode)422, "idempotency-key-reused");
    }

    [Fact]
    public async Task Notifications_sent_at_the_same_moment_each_get_their_own_receipt_and_a_repeated_key_gets_the_first_answer()
    {
        // Requests arriving together share one call to Redis: the numbering, the keys and the staying check must still
        // hold one by one inside it.
        server.Clock.Set(Vn("2026-11-19T10:00"));
        using var client = await Stays.HotelClientAsync(server);
        using var elsewhere = await Stays.HotelClientAsync(server);
        var bodies = Enumerable.Range(0, 30).Select(i => Stays.One(Vn("2026-11-19T09:00"), $"0010900300{i:D2}")).ToList();
        var sends = bodies.SelectMany((b, i) => new[] { client.SendAsync(Stays.Post(b, $"same-moment-{i}")), client.SendAsync(Stays.Post(b, $"same-moment-{i}")) })
            .Concat([elsewhere.SendAsync(Stays.Post(Stays.One(Vn("2026-11-19T09:30"), "001090030000"), null))]).ToList();
        var answers = await Task.WhenAll(sends);
        foreach (var a in answers) await Expect.Status(a, HttpStatusCode.Accepted);
        var receipts = await Task.WhenAll(answers.Select(a => a.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json)));

        for (var i = 0; i < bodies.Count; i++) Assert.Equal((receipts[2 * i]!.Id, receipts[2 * i]!.ReceiptNumber), (receipts[2 * i + 1]!.Id, receipts[2 * i + 1]!.ReceiptNumber));
        Assert.Equal(bodies.Count, answers.Take(2 * bodies.Count).Count(a => a.Headers.Contains("Idempotent-Replayed")));
        var numbers = receipts.Select(r => r!.ReceiptNumber).Distinct().ToList();
        Assert.Equal(bodies.Count + 1, numbers.Count);
        Assert.All(numbers, n => Assert.StartsWith("00070-261119-", n));
        // One guest staying at two places at once is flagged for the police, whichever notification came second (and
        // never told to the submitters).
        var guestZero = new[] { receipts[0]!, receipts[^1]! };
        Assert.All(guestZero, r => Assert.DoesNotContain(r.Flags, f => f.Code == "staying-elsewhere"));
        for (var i = 0; i < receipts.Length; i += 2) await IntakeTests.WaitRecordedAsync(i == receipts.Length - 1 ? elsewhere : client, receipts[i]!.Id);
        var ids = guestZero.Select(r => r.Id).ToList();
        var stored = await server.WithDbAsync(db => db.Notifications.Where(n => ids.Contains(n.Id)).Select(n => n.Flags).ToListAsync());
        Assert.Single(stored, f => f.Contains("staying-elsewhere"));
        Assert.Equal(bodies.Count + 1, await server.WithDbAsync(db => db.NotificationGuests.CountAsync(g => g.DocumentNumber!.StartsWith("0010900300"))));
    }

    [Fact]
    public async Task Keys_of_different_establishments_do_not_collide()
    {
        server.Clock.Set(Vn("2026-11-18T10:00"));
        using var one = await Stays.HotelClientAsync(server);
        using var two = await Stays.HotelClientAsync(server);
        var a = await (await one.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T09:00"), "001090020002"), "same-key"))).Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json);
        var b = await (await two.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T09:00"), "001090020003"), "same-key"))).Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json);
        Assert.NotEqual(a!.Id, b!.Id);
    }

    [Fact]
    public async Task An_entry_that_cannot_be_recorded_goes_to_the_dead_letter_stream_and_the_others_are_recorded()
    {
        server.Clock.Set(Vn("2026-11-18T11:00"));
        using var client = await Stays.HotelClientAsync(server);
        var buffer = server.Services.GetRequiredService<IntakeBuffer>();
        var redis = server.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

        // An unreadable entry and one whose establishment does not exist (a foreign-key violation every time).
        var unreadableId = Guid.NewGuid().ToString();
        await redis.StreamAddAsync(buffer.StreamKey, [new("id", unreadableId), new("receipt", "00070-261118-7777"), new("payload", "{not json")]);
        var good = (await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T10:00"), "001090020004"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var orphanId = Guid.CreateVersion7();
        var recorded = await IntakeTests.WaitRecordedAsync(client, good.Id);
        Assert.Equal(NotificationStatus.Recorded, recorded.Status);

        var payload = BufferedNotification.Serialize(new CuTru.LuuTru.Server.Storage.Notification
        {
            Id = orphanId, ReceiptNumber = "", CommuneCode = "00070", ProvinceCode = "01", Address = "x", LawVersion = "residence-2026", Flags = "[]",
            EstablishmentId = Guid.NewGuid(), ArrivalAt = DateTimeOffset.UtcNow, DepartureAt = DateTimeOffset.UtcNow.AddDays(1),
        });
        await redis.StreamAddAsync(buffer.StreamKey, [new("id", orphanId.ToString()), new("receipt", "00070-261118-8888"), new("payload", payload)]);

        // The class's other tests may have dead-lettered entries of their own: these two are looked for by id.
        var dead = await Eventually.UntilAsync(() => redis.StreamRangeAsync(buffer.DeadLetterKey),
            d => d.Count(e => (string?)e["id"] == unreadableId || (string?)e["id"] == orphanId.ToString()) >= 2, TimeSpan.FromSeconds(20));

        Assert.Equal("unreadable entry", (string?)Assert.Single(dead, d => (string?)d["id"] == unreadableId)["reason"]);
        var fk = Assert.Single(dead, d => (string?)d["id"] == orphanId.ToString());
        Assert.StartsWith("PostgreSQL 23503", (string?)fk["reason"]); // foreign_key_violation, no personal data
        // The dead letter is written before the entry leaves the stream (acknowledged, then deleted): the stream empties just after.
        Assert.Equal(0, await Eventually.UntilAsync(async () => (await redis.StreamInfoAsync(buffer.StreamKey)).Length, n => n == 0, TimeSpan.FromSeconds(5)));
        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == orphanId)));
    }

    [Fact]
    public async Task The_drains_copy_writes_every_column_of_the_model_but_generated_keys()
    {
        // The drain writes the rows EF Core writes on the direct path, with COPY: a column added to the model and not to
        // the COPY would stay NULL on the buffered path without a word.
        var (notifications, guests) = await server.WithDbAsync(db =>
        {
            string[] Columns(Type type)
            {
                var entity = db.Model.FindEntityType(type)!;
                var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
                return entity.GetProperties()
                    .Where(p => p.GetValueGenerationStrategy() == Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.None)
                    .Select(p => p.GetColumnName(table)!).Order().ToArray();
            }
            return Task.FromResult((Columns(typeof(CuTru.LuuTru.Server.Storage.Notification)), Columns(typeof(CuTru.LuuTru.Server.Storage.NotificationGuest))));
        });
        Assert.Equal(notifications, NotificationCopy.NotificationColumnNames.Order());
        Assert.Equal(guests, NotificationCopy.GuestColumnNames.Order());
        Assert.DoesNotContain("id", guests); // the guests' identity key is made by PostgreSQL
    }

    [Fact]
    public async Task An_entry_buffered_by_an_earlier_version_is_recorded_and_one_from_a_later_version_is_kept_aside()
    {
        // During a deploy the stream still holds what the previous version wrote: version 0 was the storage entity
        // serialised as is (no "V", enums as numbers). This is such a payload, byte for byte as that version wrote it.
        server.Clock.Set(Vn("2026-11-18T12:30"));
        var hotel = await server.CreateEstablishmentAsync("00070");
        using var client = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var buffer = server.Services.GetRequiredService<IntakeBuffer>();
        var redis = server.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var id = Guid.CreateVersion7();
        var v0 = $$"""
            {"Id":"{{id}}","ReceiptNumber":"","Channel":0,"EstablishmentId":"{{hotel.Id}}","SubmittedBy":"key:pms","CommuneCode":"00070","ProvinceCode":"01","Address":"1 \u0110\u01B0\u1EDDng Th\u1EED","ArrivalAt":"2026-11-18T04:00:00+00:00","DepartureAt":"2026-11-19T04:00:00+00:00","Reason":5,"Room":"101","Status":0,"AcceptedAt":"2026-11-18T05:30:00+00:00","RecordedAt":"0001-01-01T00:00:00+00:00","DeadlineAt":"2026-11-18T16:00:00+00:00","Late":false,"LawVersion":"residence-2026","Flags":"[]","NotifiedByGuest":false,"Guests":[{"Id":0,"NotificationId":"00000000-0000-0000-0000-000000000000","Index":0,"FullName":"Tr\u1EA7n V\u0103n C\u0169","NameKey":"tran van cu","DateOfBirth":"1990-03-04","DateOfBirthYearOnly":false,"Gender":1,"DocumentType":0,"DocumentNumber":"001190020031","Nationality":"VNM"}]}
            """;
        var later = System.Text.Encoding.UTF8.GetString(BufferedNotification.Serialize(new CuTru.LuuTru.Server.Storage.Notification
        {
            Id = Guid.CreateVersion7(), ReceiptNumber = "", CommuneCode = "00070", ProvinceCode = "01", Address = "x", LawVersion = "residence-2026", Flags = "[]",
        })).Replace($"\"V\":{BufferedNotification.CurrentVersion}", $"\"V\":{BufferedNotification.CurrentVersion + 1}");
        await redis.StreamAddAsync(buffer.StreamKey, [new("id", id.ToString()), new("receipt", "00070-261118-5555"), new("staying", ""), new("payload", v0)]);
        await redis.StreamAddAsync(buffer.StreamKey, [new("id", "later"), new("receipt", "00070-261118-5556"), new("staying", ""), new("payload", later)]);

        await Eventually.CountAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == id)), timeout: TimeSpan.FromSeconds(20));
        var recorded = await IntakeTests.WaitRecordedAsync(client, id);
        Assert.Equal(("00070-261118-5555", StayReason.Business, "101", Vn("2026-11-18T11:00")),
            (recorded.ReceiptNumber, recorded.Reason, recorded.Room, recorded.ArrivalAt));
        Assert.Equal(Vn("2026-11-18T12:30"), recorded.ReceivedAt); // before version 2, received when accepted
        var guest = Assert.Single(recorded.Guests);
        Assert.Equal(("Trần Văn Cũ", Gender.Female, DocumentType.PersonalId, "001190020031"),
            (guest.FullName, guest.Gender, guest.DocumentType, guest.DocumentNumber));
        var dead = await Eventually.UntilAsync(() => redis.StreamRangeAsync(buffer.DeadLetterKey), d => d.Any(e => (string?)e["id"] == "later"),
            TimeSpan.FromSeconds(20));
        Assert.Equal($"unsupported payload version {BufferedNotification.CurrentVersion + 1}", (string?)Assert.Single(dead, d => (string?)d["id"] == "later")["reason"]);
    }

    [Fact]
    public async Task An_admin_lists_shows_replays_and_drops_dead_letters_each_audited_and_health_says_they_wait()
    {
        server.Clock.Set(Vn("2026-11-18T16:00"));
        var hotel = await server.CreateEstablishmentAsync("00070");
        var buffer = server.Services.GetRequiredService<IntakeBuffer>();
        var redis = server.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var id = Guid.CreateVersion7();
        // A notification that failed (its cause since fixed), and one no version can read.
        var payload = $$"""
            {"Id":"{{id}}","ReceiptNumber":"","Channel":0,"EstablishmentId":"{{hotel.Id}}","SubmittedBy":"key:pms","CommuneCode":"00070","ProvinceCode":"01","Address":"1 Phố","ArrivalAt":"2026-11-18T04:00:00+00:00","DepartureAt":"2026-11-19T04:00:00+00:00","Reason":5,"Status":0,"AcceptedAt":"2026-11-18T05:30:00+00:00","RecordedAt":"0001-01-01T00:00:00+00:00","DeadlineAt":"2026-11-18T16:00:00+00:00","Late":false,"LawVersion":"residence-2026","Flags":"[]","NotifiedByGuest":false,"Guests":[{"Id":0,"NotificationId":"00000000-0000-0000-0000-000000000000","Index":0,"FullName":"Lê Văn Chết","NameKey":"le van chet","DateOfBirth":"1990-03-04","DateOfBirthYearOnly":false,"Gender":0,"DocumentType":0,"DocumentNumber":"001090020071","Nationality":"VNM"}]}
            """;
        var good = await redis.StreamAddAsync(buffer.DeadLetterKey, [new("id", id.ToString()), new("receipt", "00070-261118-6661"), new("staying", ""),
            new("payload", payload), new("reason", "PostgreSQL 23514 ck_example"), new("failedAt", DateTimeOffset.UtcNow.ToString("O"))]);
        var bad = await redis.StreamAddAsync(buffer.DeadLetterKey, [new("id", "junk"), new("receipt", "00070-261118-6662"), new("staying", ""),
            new("payload", "{not json"), new("reason", "JsonException"), new("failedAt", DateTimeOffset.UtcNow.ToString("O"))]);

        using var anonymous = server.Anonymous();
        var health = await anonymous.GetFromJsonAsync<HealthReportDto>("/health/ready", LuuTruServerFactory.Json);
        Assert.Equal("Degraded", health!.Checks["dead-letters"].Status);

        using var admin = await server.SignInAsAdminAsync();
        var (_, officer) = await server.CreateOfficerAsync("00070");
        await Expect.Problem(await officer.GetAsync("/api/v1/admin/dead-letters"), HttpStatusCode.Forbidden, "forbidden");
        var list = (await admin.GetFromJsonAsync<List<DeadLetterDto>>("/api/v1/admin/dead-letters", LuuTruServerFactory.Json))!;
        var listed = Assert.Single(list, l => l.Id == (string)good!);
        Assert.Equal(("00070-261118-6661", "00070", "PostgreSQL 23514 ck_example", (Guid?)id), (listed.ReceiptNumber, listed.CommuneCode, listed.Reason, listed.NotificationId));
        Assert.DoesNotContain("Lê Văn Chết", await admin.GetStringAsync("/api/v1/admin/dead-letters")); // no personal data in the list

        var shown = (await admin.GetFromJsonAsync<DeadLetterDetailDto>($"/api/v1/admin/dead-letters/{good}", LuuTruServerFactory.Json))!;
        Assert.Equal("Lê Văn Chết", shown.Notification!.Guests[0].FullName);
        var raw = (await admin.GetFromJsonAsync<DeadLetterDetailDto>($"/api/v1/admin/dead-letters/{bad}", LuuTruServerFactory.Json))!;
        Assert.Equal(("{not json", (NotificationDto?)null), (raw.RawPayload, raw.Notification));

        await Expect.Status(await admin.PostAsync($"/api/v1/admin/dead-letters/{good}/replay", null), HttpStatusCode.Accepted);
        await Eventually.CountAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == id && n.ReceiptNumber == "00070-261118-6661")),
            timeout: TimeSpan.FromSeconds(20));
        await Expect.Status(await admin.DeleteAsync($"/api/v1/admin/dead-letters/{bad}"), HttpStatusCode.NoContent);
        Assert.Equal(0, await redis.StreamLengthAsync(buffer.DeadLetterKey));
        await Expect.Problem(await admin.DeleteAsync($"/api/v1/admin/dead-letters/{bad}"), HttpStatusCode.NotFound, "not-found");
        health = await anonymous.GetFromJsonAsync<HealthReportDto>("/health/ready", LuuTruServerFactory.Json);
        Assert.Equal("Healthy", health!.Checks["dead-letters"].Status);

        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>("/api/v1/audit?action=dead-letter.&limit=50", LuuTruServerFactory.Json))!.Items;
        Assert.Equal(["dead-letter.drop", "dead-letter.replay", "dead-letter.view", "dead-letter.view"], trail.Select(a => a.Action).ToArray());
    }

    [Fact]
    public async Task An_entry_delivered_again_after_it_was_stored_is_stored_once_and_the_rest_of_its_batch_is_recorded()
    {
        server.Clock.Set(Vn("2026-11-18T12:00"));
        using var client = await Stays.HotelClientAsync(server);
        var buffer = server.Services.GetRequiredService<IntakeBuffer>();
        var redis = server.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var first = (await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T11:00"), "001090020019"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(client, first.Id);

        // As after a crash between the commit and the acknowledgement: the stored entry comes again, in one batch with a
        // new one (a transaction, so the drain reads both together).
        var stored = await server.WithDbAsync(db => db.Notifications.AsNoTracking().Include(n => n.Guests).SingleAsync(n => n.Id == first.Id));
        byte[] Payload(CuTru.LuuTru.Server.Storage.Notification n)
        {
            n.Status = NotificationStatus.Accepted;
            return BufferedNotification.Serialize(n);
        }
        var again = Payload(stored);
        var freshId = Guid.CreateVersion7();
        stored.Id = freshId;
        stored.ReceiptNumber = "00070-261118-6666";
        var fresh = Payload(stored);
        var tx = redis.CreateTransaction();
        _ = tx.StreamAddAsync(buffer.StreamKey, [new("id", first.Id.ToString()), new("receipt", first.ReceiptNumber), new("staying", ""), new("payload", again)]);
        _ = tx.StreamAddAsync(buffer.StreamKey, [new("id", freshId.ToString()), new("receipt", "00070-261118-6666"), new("staying", ""), new("payload", fresh)]);
        Assert.True(await tx.ExecuteAsync());

        await Eventually.CountAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == freshId)), timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(1, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == freshId)));
        Assert.Equal(1, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == first.Id)));
        Assert.Equal(1, await server.WithDbAsync(db => db.NotificationGuests.CountAsync(g => g.NotificationId == first.Id)));
        // The police saw the first arrival once, and the new one once.
        Assert.Equal(1, await server.WithDbAsync(db => db.CommuneEvents.CountAsync(e => e.NotificationId == first.Id)));
        Assert.Equal(1, await server.WithDbAsync(db => db.CommuneEvents.CountAsync(e => e.NotificationId == freshId)));
        Assert.DoesNotContain(await redis.StreamRangeAsync(buffer.DeadLetterKey),
            d => (string?)d["id"] == first.Id.ToString() || (string?)d["id"] == freshId.ToString());
    }
}

public sealed class IdempotencyRestoreTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task A_key_answered_from_postgres_while_redis_was_down_is_replayed_by_redis_once_copied_back()
    {
        server.Clock.Set(Vn("2026-11-18T14:00"));
        var hotel = await server.CreateEstablishmentAsync("00070");
        using var client = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var body = Stays.One(Vn("2026-11-18T13:00"), "001090020018");
        // What the fallback path stored during the outage (an answer with a PostgreSQL-range receipt).
        var answered = new NotificationReceiptDto(Guid.CreateVersion7(), "00070-261118-90001", NotificationStatus.Recorded,
            Vn("2026-11-18T23:00"), false, []);
        var record = new CuTru.LuuTru.Server.Storage.IdempotencyRecord
        {
            Scope = hotel.Id.ToString(), Key = "pms-outage-1", RequestHash = RequestHash.Of(body), NotificationId = answered.Id,
            ReceiptNumber = answered.ReceiptNumber, CreatedAt = server.Clock.GetUtcNow().AddMinutes(-5),
            Answer = System.Text.Json.JsonSerializer.Serialize(answered, LuuTruServerFactory.Json),
        };
        var buffer = server.Services.GetRequiredService<IntakeBuffer>();
        Assert.Equal(1, await buffer.RestoreIdempotencyAsync([record], server.Clock.GetUtcNow()));
        Assert.Equal(0, await buffer.RestoreIdempotencyAsync([record], server.Clock.GetUtcNow())); // never over a key Redis has

        var retry = await client.SendAsync(Stays.Post(body, "pms-outage-1"));
        await Expect.Status(retry, HttpStatusCode.Accepted);
        var replayed = (await retry.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Equal((answered.Id, answered.ReceiptNumber), (replayed.Id, replayed.ReceiptNumber));
        await Expect.Problem(await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T13:30"), "001090020018"), "pms-outage-1")),
            (HttpStatusCode)422, "idempotency-key-reused");
        Assert.Equal(0, (await server.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().StreamRangeAsync(buffer.StreamKey))
            .Count(e => (string?)e["id"] == answered.Id.ToString()));
    }
}

/// <summary>A server whose drain is off: notifications stay in Redis.</summary>
public sealed class NoDrainServer : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LuuTru:Intake:DrainEnabled"] = "false" };
}

public sealed class ReadYourWriteTests(NoDrainServer server) : IClassFixture<NoDrainServer>
{
    [Fact]
    public async Task A_notification_still_in_the_buffer_reads_back_as_accepted_with_its_guests()
    {
        server.Clock.Set(Vn("2026-11-18T12:00"));
        using var client = await Stays.HotelClientAsync(server);
        var receipt = (await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T11:00"), "001090020005", "Lý Thị Mai"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;

        var read = await client.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{receipt.Id}", LuuTruServerFactory.Json);
        Assert.Equal(NotificationStatus.Accepted, read!.Status);
        Assert.Equal(receipt.ReceiptNumber, read.ReceiptNumber);
        Assert.Equal("Lý Thị Mai", Assert.Single(read.Guests).FullName);
        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == receipt.Id)));

        using var peer = await Stays.HotelClientAsync(server);
        await Expect.Problem(await peer.GetAsync($"/api/v1/notifications/{receipt.Id}"), HttpStatusCode.NotFound, "not-found");

        // Not yet in the register: changes wait a moment.
        var early = await client.PostAsJsonAsync($"/api/v1/notifications/{receipt.Id}/checkout", new CheckoutRequest(), LuuTruServerFactory.Json);
        await Expect.Problem(early, HttpStatusCode.Conflict, "invalid-state");
        Assert.Equal(TimeSpan.FromSeconds(1), early.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Staying_elsewhere_found_by_the_append_itself_is_in_the_answer_the_buffered_copy_and_the_replay()
    {
        server.Clock.Set(Vn("2026-11-18T12:00"));
        using var first = await Stays.HotelClientAsync(server);
        using var second = await Stays.HotelClientAsync(server);
        await Expect.Status(await first.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T10:00"), "001090020015"), null)), HttpStatusCode.Accepted);

        // Nothing is in PostgreSQL yet (no drain): the flag comes from the index the first append wrote.
        var body = Stays.One(Vn("2026-11-18T11:00"), "001090020015");
        var answer = (await (await second.SendAsync(Stays.Post(body, "stay-15"))).Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.DoesNotContain(answer.Flags, f => f.Code == "staying-elsewhere"); // the police's, not the submitter's

        var buffered = await second.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{answer.Id}", LuuTruServerFactory.Json);
        Assert.Equal(NotificationStatus.Accepted, buffered!.Status);
        Assert.DoesNotContain(buffered.Flags, f => f.Code == "staying-elsewhere");
        var (_, officer) = await server.CreateOfficerAsync("00070");
        var seen = await officer.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{answer.Id}", LuuTruServerFactory.Json);
        Assert.Equal(0, Assert.Single(seen!.Flags, f => f.Code == "staying-elsewhere").GuestIndex);

        var replay = await second.SendAsync(Stays.Post(body, "stay-15"));
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        var replayed = (await replay.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Equal(answer.ReceiptNumber, replayed.ReceiptNumber);
        Assert.Equal(answer.Flags.Select(f => f.Code), replayed.Flags.Select(f => f.Code));

        var validated = await (await second.PostAsJsonAsync("/api/v1/notifications/validate", body, LuuTruServerFactory.Json))
            .Content.ReadFromJsonAsync<ValidationResultDto>(LuuTruServerFactory.Json);
        Assert.DoesNotContain(validated!.Flags, f => f.Code == "staying-elsewhere");
    }
}

public sealed class RedisDownIntakeTests(NoRedisServer server) : IClassFixture<NoRedisServer>
{
    [Fact]
    public async Task With_redis_down_a_notification_is_recorded_straight_into_postgres()
    {
        server.Clock.Set(Vn("2026-11-18T13:00"));
        using var client = await Stays.HotelClientAsync(server);
        var response = await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T12:00"), "001090020006"), null));
        await Expect.Status(response, HttpStatusCode.Accepted);
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;

        Assert.Equal(NotificationStatus.Recorded, receipt.Status);
        Assert.Matches(@"^00070-261118-9\d{4}$", receipt.ReceiptNumber); // PostgreSQL's own range, never Redis's
        Assert.Equal(1, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == receipt.Id)));
    }

    [Fact]
    public async Task With_redis_down_the_idempotency_key_still_holds()
    {
        server.Clock.Set(Vn("2026-11-18T13:00"));
        using var client = await Stays.HotelClientAsync(server);
        var body = Stays.One(Vn("2026-11-18T12:00"), "001090020017");
        var first = (await (await client.SendAsync(Stays.Post(body, "pms-retry-1"))).Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var retry = await client.SendAsync(Stays.Post(body, "pms-retry-1"));
        await Expect.Status(retry, HttpStatusCode.Accepted);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        var again = (await retry.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Equal((first.Id, first.ReceiptNumber, NotificationStatus.Recorded), (again.Id, again.ReceiptNumber, again.Status));
        Assert.Equal(1, await server.WithDbAsync(db => db.NotificationGuests.CountAsync(g => g.DocumentNumber == "001090020017")));

        var other = await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T12:30"), "001090020017"), "pms-retry-1"));
        await Expect.Problem(other, (HttpStatusCode)422, "idempotency-key-reused");
    }

    [Fact]
    public async Task With_redis_down_staying_elsewhere_is_checked_in_postgres()
    {
        server.Clock.Set(Vn("2026-11-18T13:00"));
        using var first = await Stays.HotelClientAsync(server);
        using var second = await Stays.HotelClientAsync(server);
        await Expect.Status(await first.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T11:00"), "001090020016"), null)), HttpStatusCode.Accepted);
        // Checked in PostgreSQL too: the same guest again at the same place is the same check-in, refused.
        await Expect.Problem(await first.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T11:30"), "001090020016"), null)), HttpStatusCode.Conflict,
            "already-staying-here");

        var elsewhere = (await (await second.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T12:00"), "001090020016"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Equal(NotificationStatus.Recorded, elsewhere.Status);
        Assert.DoesNotContain(elsewhere.Flags, f => f.Code == "staying-elsewhere");
        var stored = await server.WithDbAsync(db => db.Notifications.SingleAsync(n => n.Id == elsewhere.Id));
        Assert.Contains("staying-elsewhere", stored.Flags);
    }
}

public sealed class BufferLossTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task After_redis_lost_all_its_data_the_days_receipt_numbers_continue_after_the_highest_stored_and_nothing_is_dead_lettered()
    {
        server.Clock.Set(Vn("2026-11-18T15:00"));
        using var client = await Stays.HotelClientAsync(server);
        var buffer = server.Services.GetRequiredService<IntakeBuffer>();
        var multiplexer = server.Services.GetRequiredService<IConnectionMultiplexer>();
        var redis = multiplexer.GetDatabase();
        for (var i = 0; i < 3; i++)
        {
            var r = (await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T14:00"), $"00109002004{i}"), null)))
                .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
            await IntakeTests.WaitRecordedAsync(client, r.Id);
        }
        var highest = (await server.WithDbAsync(db => db.Notifications.Where(n => n.ReceiptNumber.StartsWith("00070-261118-")).Select(n => n.ReceiptNumber).ToListAsync()))
            .Select(n => int.Parse(n[13..])).Max();

        // As after FLUSHALL, or a Redis restarted without its files: every key of this hub is gone, counters included.
        var prefix = buffer.StreamKey.ToString()[..^"intake".Length];
        foreach (var key in multiplexer.GetServers()[0].Keys(pattern: prefix + "*").ToList()) await redis.KeyDeleteAsync(key);
        Assert.False(await redis.KeyExistsAsync(buffer.EpochKey));

        var after = (await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T14:30"), "001090020049"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Equal($"00070-261118-{highest + 1:D4}", after.ReceiptNumber);
        var recorded = await IntakeTests.WaitRecordedAsync(client, after.Id, TimeSpan.FromSeconds(20));
        Assert.Equal(after.ReceiptNumber, recorded.ReceiptNumber);
        Assert.Equal(0, await redis.StreamLengthAsync(buffer.DeadLetterKey));
        // The next day starts at 0001 again: the counters are trusted once seeded.
        server.Clock.Set(Vn("2026-11-19T09:00"));
        var nextDay = (await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-19T08:30"), "001090020048"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Equal("00070-261119-0001", nextDay.ReceiptNumber);
    }

    [Fact]
    public async Task After_redis_lost_the_stream_and_its_consumer_group_the_drain_makes_them_again_and_records_new_notifications()
    {
        server.Clock.Set(Vn("2026-11-18T13:00"));
        using var client = await Stays.HotelClientAsync(server);
        var buffer = server.Services.GetRequiredService<IntakeBuffer>();
        var redis = server.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var before = (await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T12:00"), "001090020031"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(client, before.Id);

        // As after a Redis restarted without its data: the stream and the group are gone.
        Assert.True(await redis.KeyDeleteAsync(buffer.StreamKey));
        await Task.Delay(300); // the drain meets the missing group at least once
        var after = (await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T12:30"), "001090020032"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;

        var recorded = await IntakeTests.WaitRecordedAsync(client, after.Id, TimeSpan.FromSeconds(20));
        Assert.Equal(NotificationStatus.Recorded, recorded.Status);
        Assert.Equal(1, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == after.Id)));
    }
}

/// <summary>The warm-ups at start, so the first requests and batches after a deploy are not the slow ones. The drain's
/// (IntakeDrainWorker.WarmUpAsync): a made-up notification goes the whole way of a batch in a transaction rolled back;
/// it must leave nothing behind: no notification, guest, live event or event counter. The intake's (IntakeWarmUp): its
/// made-up request must still pass the rules, or it warms nothing. The reports' rehearsal: ReportWarmUpTests.</summary>
public sealed class WarmUpTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public void The_intakes_warm_up_takes_its_made_up_request_through_to_the_buffered_form()
    {
        var warmUp = server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<CuTru.LuuTru.Server.Intake.IntakeWarmUp>().Single();
        Assert.True(warmUp.Rehearsed > 0, "the warm-up's request no longer passes the rules");
    }

    [Fact]
    public async Task The_drains_warm_up_at_start_goes_through_a_batch_and_stores_nothing()
    {
        server.Clock.Set(Vn("2026-11-18T10:00"));
        _ = server.Services;
        // It ran: the guests' COPY drew an id, which a rollback does not give back.
        Assert.True(await Eventually.UntilAsync(
            () => server.WithDbAsync(db => db.Database.SqlQueryRaw<bool>("""
                select last_value is not null as "Value" from pg_sequences
                where schemaname || '.' || sequencename = pg_get_serial_sequence('notification_guests', 'id')
                """).SingleAsync()),
            called => called, TimeSpan.FromSeconds(20)));
        // The drain's loop starts after it: once a real notification is recorded, the warm-up is over.
        using var hotel = await Stays.HotelClientAsync(server, "00070");
        var sent = await hotel.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T09:00"), "001090020099"), null));
        await IntakeTests.WaitRecordedAsync(hotel, (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id);

        var first = await server.WithDbAsync(db => db.Communes.OrderBy(c => c.Code).Select(c => c.Code).FirstAsync());
        Assert.NotEqual("00070", first);
        var left = await server.WithDbAsync(async db => (
            await db.Notifications.CountAsync(), await db.NotificationGuests.CountAsync(),
            await db.CommuneEvents.CountAsync(e => e.CommuneCode == first), await db.CommuneEventCounters.CountAsync(c => c.CommuneCode == first)));
        Assert.Equal((1, 1, 0, 0), left); // the real one only
    }
}
