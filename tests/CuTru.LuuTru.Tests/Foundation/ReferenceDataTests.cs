using System.Net;
using System.Net.Http.Json;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;

namespace CuTru.LuuTru.Tests.Foundation;

public sealed class ReferenceDataTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task Provinces_are_the_34_in_force_with_all_3321_communes()
    {
        using var client = server.Anonymous();
        var provinces = await client.GetFromJsonAsync<List<ProvinceDto>>("/api/v1/provinces", LuuTruServerFactory.Json);

        Assert.NotNull(provinces);
        Assert.Equal(34, provinces.Count);
        Assert.Equal(3321, provinces.Sum(p => p.CommuneCount));
        var hanoi = Assert.Single(provinces, p => p.Code == "01");
        Assert.Equal("Thành phố Hà Nội", hanoi.Name);
        Assert.Equal(126, hanoi.CommuneCount);
    }

    [Fact]
    public async Task A_provinces_communes_are_listed_and_an_unknown_province_is_404()
    {
        using var client = server.Anonymous();
        var communes = await client.GetFromJsonAsync<List<CommuneDto>>("/api/v1/provinces/22/communes", LuuTruServerFactory.Json);
        Assert.NotNull(communes);
        Assert.All(communes, c => Assert.Equal("22", c.ProvinceCode));
        Assert.Contains(communes, c => c.Name == "Đặc khu Vân Đồn" && c.Type == "Đặc khu");

        await Expect.Problem(await client.GetAsync("/api/v1/provinces/99/communes"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Nationalities_are_listed_by_name_and_a_guests_nationality_may_be_given_by_name()
    {
        using var client = server.Anonymous();
        var list = (await client.GetFromJsonAsync<List<NationalityDto>>("/api/v1/nationalities", LuuTruServerFactory.Json))!;
        Assert.Equal("VNM", list[0].Code); // Việt Nam first, then by name
        Assert.Equal(("CH Hàn Quốc", "Korea (South)"), list.Where(n => n.Code == "KOR").Select(n => (n.NameVi, n.NameEn)).Single());
        Assert.True(list.Count >= 240);

        foreach (var (given, code) in new[] { ("Hàn Quốc", "KOR"), ("han quoc", "KOR"), ("kor", "KOR"), ("Đức", "DEU"), ("Germany", "DEU"),
                     ("Nhật Bản", "JPN"), ("Hoa Kỳ", "USA"), ("Mỹ", "USA"), ("Vương quốc Anh", "GBR"), ("Trung Quốc", "CHN") })
            Assert.Equal(code, CuTru.LuuTru.Server.Intake.Rules.Countries.Resolve(given));
        Assert.Null(CuTru.LuuTru.Server.Intake.Rules.Countries.Resolve("Atlantis"));

        using var hotel = await CuTru.LuuTru.Tests.Intake.Stays.HotelClientAsync(server, "00097");
        var arrival = server.Clock.GetUtcNow().AddHours(-1);
        var request = new NotificationRequest(new StayDto(arrival, arrival.AddDays(2), StayReason.Tourism),
            [new GuestDto("Kim Min Jun", new DateOnly(1988, 5, 6), Gender.Male, new DocumentDto(DocumentType.Passport, "M55501234"), "Hàn Quốc",
                Foreign: new ForeignDetailsDto(null, null, null, null, VisaExempt: true))]);
        var sent = await hotel.PostAsJsonAsync("/api/v1/notifications", request, LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var stored = await CuTru.LuuTru.Tests.Intake.IntakeTests.WaitRecordedAsync(hotel,
            (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id);
        Assert.Equal("KOR", stored.Guests[0].Nationality);
        var unknown = await hotel.PostAsJsonAsync("/api/v1/notifications", request with { Guests = [request.Guests![0]! with { Nationality = "Atlantis" }] },
            LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(unknown, HttpStatusCode.BadRequest, "validation-failed"), "guests[0].nationality", "unknown-country");
    }

    [Fact]
    public async Task Entry_ports_are_listed_in_real_provinces_and_a_guests_port_typed_loosely_is_stored_by_its_name()
    {
        using var client = server.Anonymous();
        var ports = (await client.GetFromJsonAsync<List<EntryPortDto>>("/api/v1/entry-ports", LuuTruServerFactory.Json))!;
        var provinces = (await client.GetFromJsonAsync<List<ProvinceDto>>("/api/v1/provinces", LuuTruServerFactory.Json))!.Select(p => p.Code).ToHashSet();
        Assert.True(ports.Count >= 40);
        Assert.All(ports, p => Assert.Contains(p.ProvinceCode, provinces));
        Assert.All(ports, p => Assert.Contains(p.Kind, new[] { "air", "land", "rail", "sea" }));
        Assert.Equal(ports.Count, ports.Select(p => p.NameVi).Distinct().Count());
        Assert.Contains(ports, p => p.NameVi == "Cảng hàng không quốc tế Nội Bài" && p.NameEn == "Noi Bai International Airport" && p.Kind == "air");

        using var hotel = await CuTru.LuuTru.Tests.Intake.Stays.HotelClientAsync(server, "00097");
        var arrival = server.Clock.GetUtcNow().AddHours(-1);
        async Task<string?> StoredPortAsync(string typed)
        {
            var request = new NotificationRequest(new StayDto(arrival, arrival.AddDays(2), StayReason.Tourism),
                [new GuestDto("Lee Ji Eun " + Guid.NewGuid().ToString("N")[..4], new DateOnly(1990, 1, 2), Gender.Female,
                    new DocumentDto(DocumentType.Passport, "M" + Random.Shared.Next(10_000_000, 99_999_999)), "KOR",
                    Foreign: new ForeignDetailsDto(null, null, DateOnly.FromDateTime(arrival.UtcDateTime), typed, VisaExempt: true))]);
            var sent = await hotel.PostAsJsonAsync("/api/v1/notifications", request, LuuTruServerFactory.Json);
            await Expect.Status(sent, HttpStatusCode.Accepted);
            var stored = await CuTru.LuuTru.Tests.Intake.IntakeTests.WaitRecordedAsync(hotel,
                (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id);
            return stored.Guests[0].Foreign?.EntryPort;
        }
        Assert.Equal("Cảng hàng không quốc tế Nội Bài", await StoredPortAsync("noi bai"));
        Assert.Equal("Cảng hàng không quốc tế Tân Sơn Nhất", await StoredPortAsync("Tan Son Nhat International Airport"));
        Assert.Equal("Cửa khẩu quốc tế Mộc Bài", await StoredPortAsync("MỘC BÀI"));
        Assert.Equal("Cửa khẩu Bắc Phong Sinh", await StoredPortAsync("Cửa khẩu Bắc Phong Sinh")); // not in the list: as typed
    }

    [Fact]
    public async Task The_63_provinces_before_the_merger_map_to_their_new_province()
    {
        using var client = server.Anonymous();
        var legacy = await client.GetFromJsonAsync<List<LegacyProvinceDto>>("/api/v1/legacy-provinces", LuuTruServerFactory.Json);
        Assert.NotNull(legacy);
        Assert.Equal(63, legacy.Count);
        var haGiang = Assert.Single(legacy, l => l.Code == "02");
        Assert.Equal("08", haGiang.NewProvinceCode);
        Assert.Equal("Tỉnh Tuyên Quang", haGiang.NewProvinceName);
    }

    [Theory]
    [InlineData("hoan kiem", "00070")]
    [InlineData("Hoàn Kiếm", "00070")]
    [InlineData("HOAN   KIEM", "00070")]
    [InlineData("dong da", "00235")]
    [InlineData("đống đa", "00235")]
    [InlineData("van don", "06994")]
    [InlineData("00070", "00070")]
    public async Task Communes_are_found_without_diacritics_case_or_extra_spaces(string q, string expectedCode)
    {
        using var client = server.Anonymous();
        var found = await client.GetFromJsonAsync<List<CommuneDto>>($"/api/v1/communes?q={Uri.EscapeDataString(q)}", LuuTruServerFactory.Json);
        Assert.NotNull(found);
        Assert.NotEmpty(found);
        Assert.Equal(expectedCode, found[0].Code);
    }

    [Fact]
    public async Task Decomposed_input_from_a_phone_finds_the_same_commune()
    {
        using var client = server.Anonymous();
        var nfd = "Hoàn Kiếm".Normalize(NormalizationForm.FormD);
        var found = await client.GetFromJsonAsync<List<CommuneDto>>($"/api/v1/communes?q={Uri.EscapeDataString(nfd)}", LuuTruServerFactory.Json);
        Assert.Equal("Phường Hoàn Kiếm", Assert.Single(found!).Name);
    }

    [Fact]
    public async Task A_name_in_use_before_2025_leads_to_the_communes_it_became_part_of()
    {
        using var client = server.Anonymous();
        var found = (await client.GetFromJsonAsync<List<CommuneDto>>("/api/v1/communes?q=hang%20trong&provinceCode=01", LuuTruServerFactory.Json))!;
        Assert.Equal(["00070", "00082"], found.Select(c => c.Code).Order().ToArray()); // Hàng Trống went into Hoàn Kiếm and Cửa Nam
        Assert.All(found, c => Assert.Equal("Phường Hàng Trống, Quận Hoàn Kiếm, Thành phố Hà Nội", c.Formerly));
        var today = (await client.GetFromJsonAsync<List<CommuneDto>>("/api/v1/communes?q=hoan%20kiem", LuuTruServerFactory.Json))!;
        Assert.All(today, c => Assert.Null(c.Formerly)); // a name in use today is found as such
    }

    [Fact]
    public async Task Words_can_name_the_province_to_narrow_the_search()
    {
        using var client = server.Anonymous();
        var all = await client.GetFromJsonAsync<List<CommuneDto>>("/api/v1/communes?q=tan%20phu&limit=100", LuuTruServerFactory.Json);
        var inHcm = await client.GetFromJsonAsync<List<CommuneDto>>("/api/v1/communes?q=tan%20phu%20ho%20chi%20minh&limit=100", LuuTruServerFactory.Json);
        Assert.NotNull(all);
        Assert.NotNull(inHcm);
        Assert.NotEmpty(inHcm);
        Assert.All(inHcm, c => Assert.Equal("79", c.ProvinceCode));
        Assert.True(all.Count > inHcm.Count, "naming the province narrows the results");
    }

    [Fact]
    public async Task A_limit_out_of_range_is_a_field_error()
    {
        using var client = server.Anonymous();
        var problem = await Expect.Problem(await client.GetAsync("/api/v1/communes?q=a&limit=1000"), HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "limit", "invalid-value");
    }

    [Fact]
    public async Task Reference_data_is_stored_NFC_with_a_folded_search_key()
    {
        var commune = await server.WithDbAsync(db => Task.FromResult(db.Communes.Single(c => c.Code == "00235")));
        Assert.Equal("Phường Đống Đa", commune.Name);
        Assert.True(commune.Name.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("phuong dong da", commune.SearchKey);
    }
}
