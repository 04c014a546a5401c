using CuTru.LuuTru.Contracts;
using System.Globalization;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Register numbers: <c>CCCCC-YYMMDD-NNNN</c> — the commune, the day it was accepted (Vietnam time) and a
/// per-commune per-day sequence. Digits and dashes only: URL-safe and easy to read out over the phone.</summary>
public static class ReceiptNumber
{
    public static string Format(string communeCode, DateOnly day, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{communeCode}-{day:yyMMdd}-{sequence:0000}");

    public static bool TryParse(string? receipt, out (string CommuneCode, DateOnly Day, long Sequence) parts)
    {
        parts = default;
        if (receipt is null) return false;
        var p = receipt.Split('-');
        if (p.Length != 3 || p[0].Length != 5 || p[1].Length != 6 || p[2].Length < 4) return false;
        if (!p[0].All(char.IsAsciiDigit) || !p[2].All(char.IsAsciiDigit)) return false;
        if (!DateOnly.TryParseExact(p[1], "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return false;
        parts = (p[0], day, long.Parse(p[2], CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>Sequences kept in PostgreSQL: one row per (commune, day), bumped atomically.</summary>
public sealed class PostgresReceiptCounter(LuuTruDb db)
{
    public async Task<long> NextAsync(string communeCode, DateOnly day, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<long>($"""
            insert into receipt_counters (commune_code, day, last_value) values ({communeCode}, {day}, 1)
            on conflict (commune_code, day) do update set last_value = receipt_counters.last_value + 1
            returning last_value as "Value"
            """).ToListAsync(ct);
        return rows[0];
    }
}
