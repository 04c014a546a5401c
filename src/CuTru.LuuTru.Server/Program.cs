using CuTru.LuuTru.Server.Accounts;
using CuTru.LuuTru.Server.Establishments;
using CuTru.LuuTru.Server.Health;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Kbtt;
using CuTru.LuuTru.Server.Police;
using CuTru.LuuTru.Server.Reports;
using CuTru.LuuTru.Server.Retention;
using CuTru.LuuTru.Server.ReferenceData;
using CuTru.LuuTru.Server.Security;
using Scalar.AspNetCore;

// CuTru.LuuTru: the stay-notification hub. This file is the table of contents; each feature lives in its folder.
var builder = WebApplication.CreateBuilder(args);
var roles = ProcessRoles.From(builder.Configuration); // LuuTru:Roles: api, drain, scheduler, relay (default all)
LoggingOptions.Apply(builder);     // LuuTru:Logging:Json: one JSON object per line
builder.Services.AddSingleton(roles);

builder.Services
    .AddLuuTruOptions()            // Infrastructure/Options.cs: every setting, validated at start
    .AddLuuTruProblemDetails()     // Infrastructure/Problems.cs: RFC 9457 errors, Vietnamese first
    .AddLuuTruStorage()            // Storage/: PostgreSQL, migrations, reference data, bootstrap admin
    .AddLuuTruRedis()              // Redis: one connection, rate limits
    .AddLuuTruIntake()             // Intake/: rules, the Redis buffer, the staying index, the drain into PostgreSQL
    .AddLuuTruAuthentication()     // Accounts/, Security/: tokens, cookies, API keys
    .AddLuuTruAuthorization()      // Security/Policies.cs: who reaches which commune and establishment
    .AddLuuTruHealthChecks()       // Health/: live and ready
    .AddLuuTruPolice(builder.Configuration) // Police/: the live hub (Redis backplane), search, watchlist
    .AddLuuTruReports(builder.Configuration, roles) // Reports/: the 23:00 and 08:00 reports (Quartz, clustered; role scheduler)
    .AddLuuTruRetention()          // Retention/: what is past its retention is deleted nightly (03:30, same scheduler)
    .AddLuuTruKbtt()               // Kbtt/: the national system: /kbtt paths, the relay that files upstream
    .AddLuuTruMetrics(builder.Configuration) // Infrastructure/Metrics.cs: /metrics (Prometheus), traces over OTLP when set
    .AddLuuTruApi();               // JSON, OpenAPI, rate limits, clock

var app = builder.Build();

app.UseForwardedHeaders();        // from the proxies of LuuTru:Network only
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOriginCheck();
app.UseQueryCheck();               // no NUL in a query value
if (roles.Api) app.UseDefaultFiles().UseStaticFiles(); // the pages: role api
app.UseAuthentication();
app.UseAuthorization();

app.MapLuuTruHealth();             // /health/live, /health/ready (every process)
app.MapLuuTruMetrics();            // /metrics (every process; LuuTru:Metrics:AllowedNetworks only)
if (roles.Api) MapApi(app);        // a process of drain, scheduler or relay alone serves health only

return await app.RunOrExplainAsync();

// The HTTP API, the pages and the live hub: role api.
static void MapApi(WebApplication app)
{
    app.MapOpenApi();                  // /openapi/v1.json
    app.MapScalarApiReference("/docs", o => o.WithTitle("CuTru.LuuTru API"));
    app.MapAuth();                     // /api/v1/auth/login, /api/v1/me
    app.MapReferenceData();            // /api/v1/provinces, /api/v1/communes
    app.MapUsers();                    // /api/v1/users
    app.MapEstablishments();           // /api/v1/establishments, their API keys
    app.MapNotifications();            // /api/v1/notifications, /api/v1/reasons
    app.MapHouseholds();               // /api/v1/household-notifications, /api/v1/receipts/lookup
    app.MapReceipts();                 // /api/v1/receipts/{number} (and its PDF), /api/v1/receipts/verify
    app.MapOfficerEntry();             // /api/v1/communes/{code}/notifications (officers enter on someone's behalf)
    app.MapDeadLetters();              // /api/v1/admin/dead-letters (admins: list, show, replay, drop)
    app.MapPolice();                   // /hubs/police, search, /api/v1/watchlist, /api/v1/audit
    app.MapReports();                  // /api/v1/communes/{code}/reports
    app.MapRetention();                // /api/v1/admin/retention/run
    app.MapKbtt();                     // /kbtt/...: the national system's API (token, filings, departure changes, catalogues)
    app.MapKbttLink();                 // /api/v1/establishments/{id}/kbtt-link: the account the relay files with
    app.MapBenchmark();                // /bench/bare and /bench/append, only when LuuTru:Benchmark:Enabled
}

public partial class Program;
