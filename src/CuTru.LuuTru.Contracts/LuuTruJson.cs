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
    public static JsonSerializerOptions CreateOptions() => Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
