using System.Text.Json;
using System.Text.Json.Serialization;

namespace CuTru.LuuTru.Contracts;

/// <summary>The API's JSON conventions, shared by the server and the SDK: camelCase properties,
/// kebab-case enum strings (<c>commune-officer</c>, <c>personal-id</c>), no nulls written.</summary>
public static class LuuTruJson
{
    /// <summary>Applies the conventions to existing options (the server's and Refit's).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.PropertyNameCaseInsensitive = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new VietnamDateTimeOffsetConverter());
        return options;
    }

    /// <summary>A fresh options instance with the conventions applied.</summary>
    /// <summary>The string at the reader, for converters: a string the reader cannot give as UTF-16 (an escaped lone
    /// surrogate, <c>"\ud800"</c>) or a token that is not a string is a <see cref="JsonException"/> (a value error at
    /// its field), never an <see cref="InvalidOperationException"/> (a failure of the server).</summary>
    public static string? ReadString(ref Utf8JsonReader reader)
    {
        try { return reader.GetString(); }
        catch (InvalidOperationException e) { throw new JsonException("not a readable text", e); }
    }

    public static JsonSerializerOptions CreateOptions() => Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
