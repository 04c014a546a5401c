using System.Diagnostics;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Cli;

/// <summary>The built `luutru` tool, run as a process against the real server: exit codes, output, files.</summary>
public sealed class CliTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>, IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("luutru-cli-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private sealed record Run(int Exit, string Out, string Err);

    /// <summary>The tool as built next to the tests' configuration (Debug or Release).</summary>
    private static string ToolPath()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "clients", "CuTru.LuuTru.Cli", "bin", configuration, "net10.0", "luutru.dll");
        Assert.True(File.Exists(path), $"the tool is built with the tests: {path}");
        return path;
    }

    private Task<Run> LuutruAsync(params string[] args) => LuutruWithInputAsync(null, args);

    private async Task<Run> LuutruWithInputAsync(string? input, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = _home };
        psi.ArgumentList.Add(ToolPath());
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LUUTRU_CONFIG"] = Path.Combine(_home, "config.json");
        psi.Environment.Remove("LUUTRU_SERVER");
        using var p = Process.Start(psi)!;
        if (input is not null) await p.StandardInput.WriteAsync(input);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return new Run(p.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    private string Url => server.ClientOptions.BaseAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task Help_everywhere_and_exit_codes_for_wrong_usage()
    {
        var help = await LuutruAsync("--help");
        Assert.Equal(0, help.Exit);
        foreach (var command in new[] { "login", "notify", "upload", "status", "checkout", "watch", "report" })
        {
            Assert.Contains(command, help.Out);
            var commandHelp = await LuutruAsync(command, "--help");
            Assert.Equal(0, commandHelp.Exit);
            Assert.Contains($"luutru {command}", commandHelp.Out);
        }
        Assert.Equal(2, (await LuutruAsync("fly")).Exit);
        Assert.Equal(2, (await LuutruAsync("notify", "--server", Url)).Exit); // no guest
        // A number that is not one is a usage error that says so, not a crash with a stack trace.
        var badCount = await LuutruAsync("watch", "--commune", "00070", "--count", "abc");
        Assert.Equal((2, ""), (badCount.Exit, badCount.Out));
        Assert.Contains("--count takes a whole number", badCount.Err);
        Assert.DoesNotContain("   at ", badCount.Err);
        Assert.Equal(2, (await LuutruAsync("upload", "x.csv", "--chunk", "-3")).Exit);
    }

    [Fact]
    public async Task Notify_status_and_checkout_with_an_api_key_and_a_rejected_notification_exits_3()
    {
        server.Clock.FollowRealTime();
        var hotel = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Dòng Lệnh");
        var key = (await server.CreateApiKeyAsync(hotel.Id)).ApiKey;
        Assert.Equal(4, (await LuutruAsync("login", "--server", Url, "--api-key", "lt_nothing0_000000000000000000000000000000000000")).Exit);
        var login = await LuutruAsync("login", "--server", Url, "--api-key", key);
        Assert.Equal(0, login.Exit);

        var arrival = VnNow().AddHours(-1).ToString("yyyy-MM-dd HH:mm");
        var departure = VnNow().AddDays(2).ToString("yyyy-MM-dd HH:mm");
        var notify = await LuutruAsync("notify", "--arrival", arrival, "--departure", departure, "--reason", "tourism", "--room", "12",
            "--guest", "Ngô Văn Lệnh|1990-03-04|male|personal-id|001090030170", "--guest", "Ngô Bé Nhỏ|2021-01-02|female|none|");
        Assert.Equal(0, notify.Exit);
        Assert.Matches(@"^00070-\d{6}-\d{4}$", notify.Out);
        Assert.Contains("child-without-id", notify.Err);

        var bad = await LuutruAsync("notify", "--arrival", arrival, "--departure", departure, "--reason", "tourism",
            "--guest", "Ngô Văn Sai|1990-03-04|male|personal-id|123");
        Assert.Equal(3, bad.Exit);
        Assert.Contains("guests[0].document.number", bad.Err);
        Assert.Contains("Số định danh cá nhân", bad.Err); // the server's Vietnamese message

        var status = await Eventually.UntilAsync(() => LuutruAsync("status", notify.Out), s => s.Exit != 5);
        Assert.Equal(0, status.Exit);
        Assert.Equal("recorded", status.Out);
        var id = System.Text.RegularExpressions.Regex.Match(status.Err, @"id ([0-9a-f-]{36})").Groups[1].Value;

        var checkout = await LuutruAsync("checkout", id, "--guest", "1");
        Assert.Equal(0, checkout.Exit);
        Assert.Equal("recorded", checkout.Out); // one guest left, the stay goes on
        Assert.Equal("checked-out", (await LuutruAsync("checkout", id)).Out);
        Assert.Equal(5, (await LuutruAsync("status", "00070-991231-9999")).Exit);
    }

    [Fact]
    public async Task Upload_previews_asks_and_sends_the_valid_stays_with_row_numbers_of_the_file()
    {
        server.Clock.FollowRealTime();
        var hotel = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Tệp Lệnh");
        var key = (await server.CreateApiKeyAsync(hotel.Id)).ApiKey;
        var vn = VnNow();
        var (a, d) = (vn.AddHours(-2).ToString("dd/MM/yyyy HH:mm"), vn.AddDays(1).ToString("dd/MM/yyyy HH:mm"));
        var file = Path.Combine(_home, "khach.csv");
        await File.WriteAllTextAsync(file,
            "Nhóm,Thời điểm đến,Dự kiến đi,Lý do,Phòng,Họ và tên,Ngày sinh,Giới tính,Loại giấy tờ,Số giấy tờ,Quốc tịch\r\n" +
            $"1,{a},{d},Du lịch,31,Cao Văn Một,04/03/1990,Nam,CCCD,001090030180,VNM\r\n" +
            $"2,{a},{d},Du lịch,32,Cao Văn Hai,04/03/1990,Nam,CCCD,99,VNM\r\n" +
            $"1,{a},{d},Du lịch,31,Cao Bé Ba,05/06/2020,Nữ,Không có,,VNM\r\n" +
            $"3,{a},{d},Làm việc,33,Cao Thị Bốn,05/06/1991,Nữ,CCCD,001191030181,VNM\r\n", new System.Text.UTF8Encoding(true));

        // Not interactive and no --yes: the preview only, nothing sent, exit 3.
        var preview = await LuutruAsync("upload", file, "--server", Url, "--api-key", key, "--chunk", "1");
        Assert.Equal(3, preview.Exit);
        Assert.Contains("dòng 3\trejected\tSố giấy tờ", preview.Out); // the file's own row 3, though sent in a chunk of its own
        Assert.Contains("dòng 2,4\tvalid", preview.Out);
        Assert.Contains("nothing sent", preview.Err);
        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == hotel.Id)));

        var sent = await LuutruAsync("upload", file, "--server", Url, "--api-key", key, "--chunk", "1", "--yes");
        Assert.Equal(3, sent.Exit); // sent, but not every row
        Assert.Matches(@"dòng 2,4\taccepted\t00070-\d{6}-\d{4}", sent.Out);
        Assert.Matches(@"dòng 5\taccepted\t00070-\d{6}-\d{4}", sent.Out);
        Assert.Contains("3/3", sent.Err); // progress over the three chunks

        // Again: the same receipts, nothing filed twice.
        var again = await LuutruAsync("upload", file, "--server", Url, "--api-key", key, "--chunk", "1", "--yes");
        Assert.Equal(sent.Out.Split('\n').Where(l => l.Contains("accepted")), again.Out.Split('\n').Where(l => l.Contains("accepted")));
    }

    [Fact]
    public async Task An_admin_lists_shows_and_drops_dead_letters_from_the_command_line()
    {
        server.Clock.FollowRealTime();
        var buffer = server.Services.GetRequiredService<CuTru.LuuTru.Server.Intake.IntakeBuffer>();
        var redis = server.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        var id = (string)(await redis.StreamAddAsync(buffer.DeadLetterKey, [new("id", "cli-junk"), new("receipt", "00070-261130-6671"), new("staying", ""),
            new("payload", "{broken"), new("reason", "JsonException"), new("failedAt", DateTimeOffset.UtcNow.ToString("O"))]))!;
        var login = await LuutruWithInputAsync(LuuTruServerFactory.AdminPassword + "\n", "login", "--server", Url, "--email", LuuTruServerFactory.AdminEmail,
            "--password-stdin");
        Assert.Equal(0, login.Exit);
        var list = await LuutruAsync("admin", "dead-letters", "list");
        Assert.Equal(0, list.Exit);
        Assert.Contains($"{id}\t00070-261130-6671\t00070", list.Out);
        var show = await LuutruAsync("admin", "dead-letters", "show", id);
        Assert.Contains("{broken", show.Out);
        Assert.Equal(0, (await LuutruAsync("admin", "dead-letters", "drop", id)).Exit);
        Assert.Equal(5, (await LuutruAsync("admin", "dead-letters", "drop", id)).Exit); // gone
        Assert.Equal(2, (await LuutruAsync("admin", "dead-letters", "burn", id)).Exit);
    }

    [Fact]
    public async Task An_officer_signs_in_watches_arrivals_live_and_downloads_the_report()
    {
        server.Clock.FollowRealTime();
        var (officer, officerClient) = await server.CreateOfficerAsync("00070");
        var login = await LuutruWithInputAsync(LuuTruServerFactory.Password + "\n", "login", "--server", Url, "--email", officer.Email, "--password-stdin");
        Assert.Equal(0, login.Exit);
        Assert.Contains("commune-officer", login.Out);

        var watch = LuutruAsync("watch", "--commune", "00070", "--count", "1", "--timeout", "30");
        using var api = await Stays.HotelClientAsync(server, "00070");
        NotificationReceiptDto? receipt = null;
        // Sent until the watcher (a separate process still starting) has seen one.
        while (!watch.IsCompleted)
        {
            var response = await api.SendAsync(Stays.Post(Stays.One(DateTimeOffset.UtcNow.AddMinutes(-10), $"0010900{Random.Shared.Next(30200, 39999)}"), null));
            receipt ??= await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json);
            await Task.WhenAny(watch, Task.Delay(1000));
        }
        var watched = await watch;
        Assert.Equal(0, watched.Exit);
        Assert.Matches(@"00070-\d{6}-\d{4}", watched.Out);

        var day = VnNow().ToString("yyyy-MM-dd");
        Assert.Equal(5, (await LuutruAsync("report", "00070", day, "--format", "pdf")).Exit); // not built yet
        await Expect.Status(await officerClient.PostAsync($"/api/v1/communes/00070/reports/{day}/rebuild", null), System.Net.HttpStatusCode.Created);
        var pdf = await LuutruAsync("report", "00070", day, "--format", "pdf", "--out", "bao-cao.pdf");
        Assert.Equal(0, pdf.Exit);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(Path.Combine(_home, "bao-cao.pdf")))[..4]));
        var xlsx = await LuutruAsync("report", "00070", day, "--format", "xlsx");
        Assert.Equal(0, xlsx.Exit);
        Assert.EndsWith(".xlsx", xlsx.Out);
        Assert.Equal(4, (await LuutruAsync("report", "00004", day)).Exit); // another commune's
    }
}
