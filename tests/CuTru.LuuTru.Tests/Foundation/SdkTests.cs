using System.Net;
using CuTru.LuuTru.Client;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>The .NET SDK against the real server: what an integrator's code does.</summary>
public sealed class SdkTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private ILuuTruApi Api(string? apiKey = null, string? token = null, string language = "vi") =>
        LuuTruClient.Create(new LuuTruClientOptions { BaseAddress = server.ClientOptions.BaseAddress, ApiKey = apiKey, AccessToken = token, Language = language });

    [Fact]
    public async Task An_admin_sets_up_an_establishment_and_its_key_works_through_the_sdk()
    {
        var login = await Api().LoginAsync(new LoginRequest(LuuTruServerFactory.AdminEmail, LuuTruServerFactory.AdminPassword));
        var admin = Api(token: login.AccessToken);

        var hanoi = (await admin.SearchCommunesAsync(q: "hoan kiem"))[0];
        var hotel = await admin.CreateEstablishmentAsync(new CreateEstablishmentRequest(
            "Khách sạn SDK", EstablishmentKind.Homestay, hanoi.Code, "3 Phố SDK", "Đỗ Văn Tích", "0900000001"));
        Assert.Equal(EstablishmentStatus.Pending, hotel.Status);

        var pending = await admin.ListEstablishmentsAsync(communeCode: hanoi.Code, status: EstablishmentStatus.Pending);
        Assert.Contains(pending.Items, e => e.Id == hotel.Id);

        Assert.Equal(EstablishmentStatus.Approved, (await admin.ApproveEstablishmentAsync(hotel.Id)).Status);
        var key = await admin.CreateApiKeyAsync(hotel.Id, new CreateApiKeyRequest("PMS SDK"));

        var me = await Api(apiKey: key.ApiKey).MeAsync();
        Assert.Equal(hotel.Id, me.EstablishmentId);

        var officers = await admin.ListUsersAsync(role: Role.Admin);
        Assert.All(officers.Items, u => Assert.Equal(Role.Admin, u.Role));
    }

    [Fact]
    public async Task A_failed_call_carries_the_problem_in_the_chosen_language()
    {
        var api = Api(language: "en");
        var error = await Assert.ThrowsAnyAsync<ApiException>(() => api.LoginAsync(new LoginRequest("nobody@test.luutru.vn", "wrong-password")));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        var problem = await error.GetProblemAsync();
        Assert.Equal("invalid-credentials", problem!.Code);
        Assert.Equal("Wrong email or password.", problem.Title);
    }

    [Fact]
    public async Task The_dependency_injection_helper_registers_a_working_client()
    {
        var services = new ServiceCollection();
        services.AddLuuTruClient(o => o.BaseAddress = server.ClientOptions.BaseAddress!);
        await using var provider = services.BuildServiceProvider();
        var provinces = await provider.GetRequiredService<ILuuTruApi>().GetProvincesAsync();
        Assert.Equal(34, provinces.Count);
    }
}
