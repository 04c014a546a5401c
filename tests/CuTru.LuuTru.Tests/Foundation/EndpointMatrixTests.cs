using System.Net;
using System.Text;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>The authorization matrix as a table: every endpoint the server maps has a row saying which kinds of caller
/// may reach it, and every other kind is refused (401 without credentials, 403 with the wrong ones), whatever the body.
/// An endpoint added without a row fails the test, naming it. The area checks within a role (an officer of another
/// commune) are the scenario tests' (AuthorizationMatrixTests).</summary>
public sealed class EndpointMatrixTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Flags]
    private enum Who
    {
        Anonymous = 1, ApiKey = 2, Staff = 4, Officer = 8, Supervisor = 16, Admin = 32,
        Establishment = ApiKey | Staff,
        Police = Officer | Supervisor | Admin,
        People = Staff | Police,
        Anyone = Anonymous | Establishment | Police,
        Signed = Establishment | Police,
    }

    /// <summary>METHOD and route pattern → who may reach it.</summary>
    private static readonly Dictionary<string, Who> Table = new(StringComparer.Ordinal)
    {
        ["GET /api/v1/reasons"] = Who.Anyone,
        ["POST /api/v1/notifications/"] = Who.Establishment,
        ["POST /api/v1/notifications/validate"] = Who.Establishment,
        ["GET /api/v1/notifications/{id:guid}"] = Who.Establishment | Who.Police,
        ["GET /api/v1/notifications/"] = Who.Establishment,
        ["POST /api/v1/notifications/{id:guid}/checkout"] = Who.Establishment | Who.Police,
        ["POST /api/v1/notifications/{id:guid}/extend"] = Who.Establishment | Who.Police,
        ["PATCH /api/v1/notifications/{id:guid}"] = Who.Establishment | Who.Police,
        ["POST /api/v1/notifications/{id:guid}/cancel"] = Who.Establishment | Who.Police,
        ["GET /api/v1/notifications/{id:guid}/history"] = Who.Establishment | Who.Police,
        ["POST /api/v1/notifications/batch"] = Who.Establishment,
        ["POST /api/v1/notifications/batch/validate"] = Who.Establishment,
        ["POST /api/v1/notifications/upload"] = Who.Establishment,
        ["GET /api/v1/notifications/upload/template.csv"] = Who.Anyone,
        ["GET /api/v1/notifications/upload/template.xlsx"] = Who.Anyone,
        ["POST /api/v1/household-notifications"] = Who.Anyone,
        ["POST /api/v1/household-notifications/validate"] = Who.Anyone,
        ["POST /api/v1/receipts/lookup"] = Who.Anyone,
        ["GET /api/v1/receipts/verify"] = Who.Anyone,
        ["POST /api/v1/receipts/checkout"] = Who.Anyone,
        ["POST /api/v1/receipts/extend"] = Who.Anyone,
        ["GET /api/v1/receipts/{number}"] = Who.Signed,
        ["GET /api/v1/receipts/{number}/pdf"] = Who.Signed,
        ["POST /api/v1/communes/{code}/notifications/"] = Who.Police,
        ["POST /api/v1/communes/{code}/notifications/validate"] = Who.Police,
        ["POST /api/v1/communes/{code}/notifications/upload"] = Who.Police,
        ["GET /api/v1/communes/{code}/notifications"] = Who.Police,
        ["POST /api/v1/communes/{code}/notifications/search"] = Who.Police,
        ["GET /api/v1/provinces/{code}/notifications"] = Who.Supervisor | Who.Admin,
        ["POST /api/v1/provinces/{code}/notifications/search"] = Who.Supervisor | Who.Admin,
        ["GET /api/v1/communes/{code}/dashboard"] = Who.Police,
        ["GET /api/v1/provinces/{code}/dashboard"] = Who.Supervisor | Who.Admin,
        ["POST /api/v1/watchlist"] = Who.Police,         // then 403 for officers, by the handler (a supervisor's power)
        ["GET /api/v1/watchlist"] = Who.Police,
        ["DELETE /api/v1/watchlist/{id:guid}"] = Who.Police,
        ["GET /api/v1/watchlist/hits"] = Who.Police,
        ["POST /api/v1/watchlist/hits/{id:guid}/acknowledge"] = Who.Police,
        ["GET /api/v1/audit"] = Who.Admin,
        ["GET /api/v1/admin/dead-letters/"] = Who.Admin,
        ["GET /api/v1/admin/dead-letters/{id}"] = Who.Admin,
        ["POST /api/v1/admin/dead-letters/{id}/replay"] = Who.Admin,
        ["DELETE /api/v1/admin/dead-letters/{id}"] = Who.Admin,
        ["POST /api/v1/admin/retention/run"] = Who.Admin,
        ["POST /api/v1/auth/login"] = Who.Anyone,
        ["POST /api/v1/auth/logout"] = Who.Anyone,
        ["POST /api/v1/auth/password"] = Who.Signed,      // then 403 for API keys, by the handler (no password)
        ["GET /api/v1/me"] = Who.Signed,
        ["POST /api/v1/users/"] = Who.Supervisor | Who.Admin,
        ["GET /api/v1/users/"] = Who.Supervisor | Who.Admin,
        ["GET /api/v1/users/{id:guid}"] = Who.Supervisor | Who.Admin,
        ["POST /api/v1/users/{id:guid}/disable"] = Who.Supervisor | Who.Admin,
        ["POST /api/v1/users/{id:guid}/enable"] = Who.Supervisor | Who.Admin,
        ["POST /api/v1/users/{id:guid}/password"] = Who.Supervisor | Who.Admin,
        ["PUT /api/v1/users/{id:guid}/communes"] = Who.Supervisor | Who.Admin,
        ["PUT /api/v1/communes/{code}/remote"] = Who.Admin,
        ["POST /api/v1/establishment-applications"] = Who.Anyone,
        ["GET /api/v1/provinces"] = Who.Anyone,
        ["GET /api/v1/provinces/{code}"] = Who.Anyone,
        ["GET /api/v1/provinces/{code}/communes"] = Who.Anyone,
        ["GET /api/v1/communes"] = Who.Anyone,
        ["GET /api/v1/communes/{code}"] = Who.Anyone,
        ["GET /api/v1/legacy-provinces"] = Who.Anyone,
        ["GET /api/v1/nationalities"] = Who.Anyone,
        ["GET /api/v1/entry-ports"] = Who.Anyone,
        ["POST /api/v1/establishments/"] = Who.Police,
        ["GET /api/v1/establishments/"] = Who.Signed,
        ["GET /api/v1/establishments/{id:guid}"] = Who.Signed,
        ["POST /api/v1/establishments/{id:guid}/approve"] = Who.Police,
        ["POST /api/v1/establishments/{id:guid}/suspend"] = Who.Police,
        ["POST /api/v1/establishments/{id:guid}/reject"] = Who.Police,
        ["POST /api/v1/establishments/{id:guid}/api-keys"] = Who.Staff | Who.Police,
        ["GET /api/v1/establishments/{id:guid}/api-keys"] = Who.Staff | Who.Police,
        ["DELETE /api/v1/establishments/{id:guid}/api-keys/{prefix}"] = Who.Staff | Who.Police,
        // The account the relay files with: its staff (the people who own it) and admins; not its software, not officers.
        ["GET /api/v1/establishments/{id:guid}/kbtt-link/"] = Who.Staff | Who.Admin,
        ["PUT /api/v1/establishments/{id:guid}/kbtt-link/"] = Who.Staff | Who.Admin,
        ["DELETE /api/v1/establishments/{id:guid}/kbtt-link/"] = Who.Staff | Who.Admin,
        ["GET /api/v1/establishments/{id:guid}/kbtt-export"] = Who.Establishment | Who.Police,
        ["POST /api/v1/reports/{date}/rebuild"] = Who.Admin,
        ["GET /api/v1/provinces/{code}/reports/{date}"] = Who.Supervisor | Who.Admin,
        ["GET /api/v1/communes/{code}/reports/"] = Who.Police,
        ["GET /api/v1/communes/{code}/reports/{date}"] = Who.Police,
        ["GET /api/v1/communes/{code}/reports/{date}.csv"] = Who.Police,
        ["GET /api/v1/communes/{code}/reports/{date}.xlsx"] = Who.Police,
        ["GET /api/v1/communes/{code}/reports/{date}.pdf"] = Who.Police,
        ["POST /api/v1/communes/{code}/reports/{date}/rebuild"] = Who.Police,
    };

    /// <summary>The police hub's methods → who may call them (the hub itself lets police only connect).</summary>
    private static readonly Dictionary<string, Who> HubTable = new(StringComparer.Ordinal)
    {
        ["Watermarks"] = Who.Police,
        ["Resume"] = Who.Police,
    };

    /// <summary>Every (method, route pattern) the server maps under <c>/api/</c>: what the matrix and the fuzz suite cover.</summary>
    internal static List<(string Method, string Pattern)> ApiEndpoints(LuuTruServerFactory server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .Distinct().ToList();

    /// <summary>A pattern as the table writes it: route constraints left out (<c>{date:regex(…)}</c> → <c>{date}</c>).</summary>
    private static string Row(string method, string pattern) =>
        $"{method} {System.Text.RegularExpressions.Regex.Replace(pattern, @"\{date:regex\(.*?\)\}", "{date}")}";

    [Fact]
    public async Task Every_endpoint_has_a_row_and_every_caller_outside_it_is_refused()
    {
        var hotel = await server.CreateEstablishmentAsync("00070");
        var callers = new Dictionary<Who, HttpClient>
        {
            [Who.Anonymous] = server.Anonymous(),
            [Who.ApiKey] = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey),
            [Who.Staff] = (await server.CreateStaffAsync(hotel.Id)).Client,
            [Who.Officer] = (await server.CreateOfficerAsync("00070")).Client,
            [Who.Supervisor] = (await server.CreateSupervisorAsync("01")).Client,
            [Who.Admin] = await server.SignInAsAdminAsync(),
        };
        var endpoints = ApiEndpoints(server);

        var missing = endpoints.Select(e => Row(e.Method, e.Pattern)).Where(k => !Table.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "endpoints without a row in the matrix: " + string.Join(", ", missing));
        Assert.True(endpoints.Count >= Table.Count - 2, $"the table lists endpoints that no longer exist ({endpoints.Count} mapped, {Table.Count} rows)");

        var wrong = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            var row = Row(method, pattern);
            var allowed = Table[row];
            // Resources that exist (the establishment, the caller's commune and province), so a refusal is about who calls.
            var path = row[(method.Length + 1)..].Replace("/establishments/{id:guid}", "/establishments/" + hotel.Id)
                .Replace("{id:guid}", Guid.NewGuid().ToString()).Replace("{id}", "1-0")
                .Replace("/provinces/{code}", "/provinces/01").Replace("{code}", "00070")
                .Replace("{date}", "2026-11-20").Replace("{prefix}", "lt_nothing");
            foreach (var (who, client) in callers)
            {
                if (allowed.HasFlag(who)) continue;
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is not ("GET" or "DELETE")) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                var response = await client.SendAsync(request);
                var expected = who == Who.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                if (response.StatusCode != expected) wrong.Add($"{who} {method} {pattern}: {(int)response.StatusCode}, expected {(int)expected}");
            }
        }
        Assert.True(wrong.Count == 0, "reached by a caller outside its row:\n" + string.Join("\n", wrong));

        // The hub: a row per method; callers outside every row cannot even connect, those inside can call their methods.
        var methods = typeof(CuTru.LuuTru.Server.Police.PoliceHubServer).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance
            | System.Reflection.BindingFlags.DeclaredOnly).Where(m => !m.Name.StartsWith("On", StringComparison.Ordinal)).ToList();
        Assert.True(methods.All(m => HubTable.ContainsKey(m.Name)), "hub methods without a row: " + string.Join(", ", methods.Select(m => m.Name).Where(n => !HubTable.ContainsKey(n))));
        Assert.Equal(HubTable.Keys.Order(), methods.Select(m => m.Name).Order());
        foreach (var (who, client) in callers)
        {
            var reachable = methods.Where(m => HubTable[m.Name].HasFlag(who)).ToList();
            using var negotiate = await client.PostAsync("/hubs/police/negotiate?negotiateVersion=1", null);
            if (reachable.Count == 0)
            {
                var expected = who == Who.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                if (negotiate.StatusCode != expected) wrong.Add($"{who} connected to the hub: {(int)negotiate.StatusCode}, expected {(int)expected}");
                continue;
            }
            await using var live = await Dashboard.ConnectAsync(server.ClientOptions.BaseAddress, client);
            foreach (var method in reachable)
            {
                var args = method.GetParameters().Select(p => p.ParameterType == typeof(Dictionary<string, long>) ? new Dictionary<string, long>() : null).ToArray<object?>();
                try { await live.Connection.InvokeCoreAsync(method.Name, typeof(object), args); }
                catch (Exception e) { wrong.Add($"{who} could not call {method.Name}: {e.Message}"); }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        foreach (var client in callers.Values) client.Dispose();
    }
}
