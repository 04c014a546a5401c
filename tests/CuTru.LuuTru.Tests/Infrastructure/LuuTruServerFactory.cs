using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>The real server on a loopback port (Kestrel), with its own fresh PostgreSQL database on the
/// `make test` instance and the real Redis. One per test class; intent methods set up the actors a test needs.</summary>
public class LuuTruServerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@test.luutru.vn";
    public const string AdminPassword = "admin-test-password";
    public const string Password = "correct-horse-battery";

    public static readonly JsonSerializerOptions Json = LuuTruJson.CreateOptions();

    public string DatabaseName { get; }
    public TestClock Clock { get; } = new();
    public string ConnectionString { get; }

    /// <summary>Extra settings a test class needs (e.g. a small login limit); applied over the defaults.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The PostgreSQL server the test database is made on.</summary>
    protected virtual string BasePostgres => TestEnvironment.PostgresConnectionString;

    public LuuTruServerFactory() : this(null) { }

    /// <summary>With a database name: another server process on that (existing) database, as in a cluster.</summary>
    protected LuuTruServerFactory(string? existingDatabase)
    {
        DatabaseName = existingDatabase ?? "luutru_t_" + Guid.NewGuid().ToString("N")[..12];
        OwnsDatabase = existingDatabase is null;
        var csb = new NpgsqlConnectionStringBuilder(BasePostgres) { Database = DatabaseName };
        ConnectionString = csb.ConnectionString;
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LuuTru:Database:ConnectionString"] = ConnectionString,
            ["LuuTru:Redis:ConnectionString"] = TestEnvironment.RedisConnectionString,
            ["LuuTru:Redis:KeyPrefix"] = $"test:{DatabaseName}:",
            ["LuuTru:Auth:SigningKey"] = "test-signing-key-0123456789-abcdefghijklmnop",
            // Test clocks stand still: a class signs in many times within one limit window.
            ["LuuTru:Auth:LoginAttemptsPerMinute"] = "10000",
            ["LuuTru:Auth:LoginAttemptsPerAccountPer15Minutes"] = "10000",
            ["LuuTru:Bootstrap:AdminEmail"] = AdminEmail,
            ["LuuTru:Bootstrap:AdminPassword"] = AdminPassword,
        };
        foreach (var (k, v) in Settings) settings[k] = v;
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    private bool OwnsDatabase { get; }

    public async Task InitializeAsync()
    {
        if (OwnsDatabase) await TestEnvironment.CreateDatabaseAsync(DatabaseName, BasePostgres);
        StartServer();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (OwnsDatabase) await TestEnvironment.DropDatabaseAsync(DatabaseName, BasePostgres);
    }

    /// <summary>A scope on the server's own services (DbContext and all), for checking what was stored.</summary>
    public async Task<T> WithDbAsync<T>(Func<LuuTruDb, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LuuTruDb>());
    }

    public HttpClient Anonymous(string? acceptLanguage = null)
    {
        var client = CreateClient(ClientOptionsFor(cookies: false));
        if (acceptLanguage is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        return client;
    }

    /// <summary>Client options pointing at the Kestrel address the server really listens on.</summary>
    public WebApplicationFactoryClientOptions ClientOptionsFor(bool cookies) =>
        new() { BaseAddress = ClientOptions.BaseAddress, HandleCookies = cookies, AllowAutoRedirect = false };

    public HttpClient WithApiKey(string apiKey)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = Anonymous();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(email, password), Json);
        await Expect.Status(response, System.Net.HttpStatusCode.OK);
        var login = (await response.Content.ReadFromJsonAsync<LoginResponse>(Json))!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
        return client;
    }

    public Task<HttpClient> SignInAsAdminAsync() => SignInAsync(AdminEmail, AdminPassword);

    /// <summary>Creates a person through the admin API and returns the user and a client signed in as them.</summary>
    public async Task<(UserDto User, HttpClient Client)> CreateUserAsync(Role role, string? provinceCode = null,
        IReadOnlyList<string>? communeCodes = null, Guid? establishmentId = null)
    {
        using var admin = await SignInAsAdminAsync();
        var email = $"{role.ToString().ToLowerInvariant()}.{Guid.NewGuid():N}@test.luutru.vn";
        var response = await admin.PostAsJsonAsync("/api/v1/users",
            new CreateUserRequest(email, Password, role, null, provinceCode, communeCodes, establishmentId), Json);
        await Expect.Status(response, System.Net.HttpStatusCode.Created);
        var user = (await response.Content.ReadFromJsonAsync<UserDto>(Json))!;
        return (user, await SignInAsync(email, Password));
    }

    public Task<(UserDto User, HttpClient Client)> CreateOfficerAsync(params string[] communeCodes) =>
        CreateUserAsync(Role.CommuneOfficer, communeCodes: communeCodes);

    public Task<(UserDto User, HttpClient Client)> CreateSupervisorAsync(string provinceCode) =>
        CreateUserAsync(Role.ProvinceSupervisor, provinceCode: provinceCode);

    public Task<(UserDto User, HttpClient Client)> CreateStaffAsync(Guid establishmentId) =>
        CreateUserAsync(Role.EstablishmentStaff, establishmentId: establishmentId);

    /// <summary>Registers an establishment through the API as an admin, approved unless told otherwise.</summary>
    public async Task<EstablishmentDto> CreateEstablishmentAsync(string communeCode, bool approve = true, string name = "Khách sạn Thử Nghiệm")
    {
        using var admin = await SignInAsAdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/establishments", new CreateEstablishmentRequest(
            name, EstablishmentKind.Hotel, communeCode, "1 Đường Thử", "Trần Văn Quản", "0912 345 678"), Json);
        await Expect.Status(response, System.Net.HttpStatusCode.Created);
        var e = (await response.Content.ReadFromJsonAsync<EstablishmentDto>(Json))!;
        if (!approve) return e;
        response = await admin.PostAsync($"/api/v1/establishments/{e.Id}/approve", null);
        await Expect.Status(response, System.Net.HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<EstablishmentDto>(Json))!;
    }

    /// <summary>Creates an API key for the establishment as an admin; returns the key itself.</summary>
    public async Task<ApiKeyCreatedResponse> CreateApiKeyAsync(Guid establishmentId, string name = "PMS")
    {
        using var admin = await SignInAsAdminAsync();
        var response = await admin.PostAsJsonAsync($"/api/v1/establishments/{establishmentId}/api-keys", new CreateApiKeyRequest(name), Json);
        await Expect.Status(response, System.Net.HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<ApiKeyCreatedResponse>(Json))!;
    }
}
