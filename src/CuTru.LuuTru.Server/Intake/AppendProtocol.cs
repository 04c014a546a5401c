using System.Text;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>The one definition of what crosses between C# and the append script: the layout of its KEYS and ARGV, the
/// fields of a stream entry and the format of an idempotency record. The script declares its Lua locals from these
/// names (<see cref="Declare"/>), and the C# side fills arrays by the same names, so adding a field is one edit here
/// and one use on each side; no offset is written by hand.</summary>
public static class AppendProtocol
{
    /// <summary>KEYS before the notifications.</summary>
    /// <summary><c>Epoch</c>: the marker that the receipt counters can be trusted (set when they were last seeded from
    /// PostgreSQL); gone, Redis lost its data and a missing counter is no new day.</summary>
    public enum HeaderKey { Stream, Epoch }

    /// <summary>ARGV before the notifications.</summary>
    public enum HeaderArg { IdempotencyTtl, CounterTtl, PendingTtl, Count }

    /// <summary>KEYS of each notification, followed by one staying-index key per guest document. <c>BufferedHash</c>: its
    /// day's read-your-write hash (<see cref="IntakeBuffer.BufferedKey(DateOnly)"/>).</summary>
    public enum NotificationKey { Counter, BufferedHash, Idempotency }

    /// <summary>ARGV of each notification, followed by the guest index of each staying-index key.</summary>
    public enum NotificationArg
    {
        Id, Payload, RequestHash, Answer, Commune, Day,
        /// <summary>The staying index: field (the notification id), value (place|departure) and time to live (s).</summary>
        StayingField, StayingValue, StayingTtl,
        /// <summary>'1': check the documents against the staying index first, at this place and arrival (unix s).</summary>
        CheckStaying, Place, Arrival,
        /// <summary>How many guest documents follow.</summary>
        Documents,
    }

    public static readonly int HeaderKeys = Enum.GetValues<HeaderKey>().Length;
    public static readonly int HeaderArgs = Enum.GetValues<HeaderArg>().Length;
    public static readonly int NotificationKeys = Enum.GetValues<NotificationKey>().Length;
    public static readonly int NotificationArgs = Enum.GetValues<NotificationArg>().Length;

    /// <summary>The fields of a stream entry, as the script writes them (<see cref="EntryFieldsLua"/>) and the drain
    /// reads them.</summary>
    public static class EntryField
    {
        public const string Id = "id", Receipt = "receipt", Staying = "staying", Payload = "payload";
        /// <summary>Each field and the Lua local holding its value.</summary>
        internal static readonly (string Field, string Local)[] All =
            [(Id, Lua(NotificationArg.Id)), (Receipt, "receipt"), (Staying, "staying"), (Payload, Lua(NotificationArg.Payload))];
    }

    /// <summary>An idempotency record: the request hash, the receipt, the guests found staying elsewhere and the 202 body,
    /// newline-separated (the body last: it may hold anything). The script writes it (<see cref="IdempotencyRecordLua"/>);
    /// the server writes it when copying PostgreSQL's records back (<see cref="FormatIdempotency"/>) and reads both.</summary>
    private static readonly string[] IdempotencyLocals = [Lua(NotificationArg.RequestHash), "receipt", "staying", Lua(NotificationArg.Answer)];

    public static string FormatIdempotency(string requestHash, string receipt, string staying, string answer) =>
        string.Join('\n', requestHash, receipt, staying, answer);

    public static (string RequestHash, string Receipt, string Staying, string Answer) ParseIdempotency(string record)
    {
        var parts = record.Split('\n', IdempotencyLocals.Length);
        return (parts[0], parts[1], parts[2], parts[3]);
    }

    /// <summary>Lua: the idempotency record's value, from the script's locals.</summary>
    public static string IdempotencyRecordLua => $"table.concat({{{string.Join(", ", IdempotencyLocals)}}}, '\\n')";

    /// <summary>Lua: the XADD arguments after the id, field then value.</summary>
    public static string EntryFieldsLua => string.Join(", ", EntryField.All.Select(f => $"'{f.Field}', {f.Local}"));

    /// <summary>Lua: <c>local a, b = ARGV[base], ARGV[base + 1]</c> for every name of <typeparamref name="T"/>.</summary>
    public static string Declare<T>(string array, string baseIndex) where T : struct, Enum
    {
        var names = Enum.GetValues<T>();
        var sb = new StringBuilder("local ").AppendJoin(", ", names.Select(n => Lua(n))).Append(" = ");
        sb.AppendJoin(", ", names.Select((_, i) => i == 0 ? $"{array}[{baseIndex}]" : $"{array}[{baseIndex} + {i}]"));
        return sb.ToString();
    }

    /// <summary>The Lua local of a name: snake_case (<c>RequestHash</c> → <c>request_hash</c>).</summary>
    public static string Lua<T>(T name) where T : struct, Enum
    {
        var s = name.ToString();
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsUpper(s[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(s[i]));
        }
        return sb.ToString();
    }
}
