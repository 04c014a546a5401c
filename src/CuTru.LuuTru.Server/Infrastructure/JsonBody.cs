using System.Buffers;
using System.Collections;
using System.IO.Pipelines;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CuTru.LuuTru.Contracts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>A JSON request body read so that a value the parser cannot read (a date, a time, a code, a number, a list
/// where an object belongs) is a field error with its JSON path, reported with every other error of the request; only
/// text that is not JSON at all is <c>malformed-json</c>. The happy path costs what the framework's binding costs: one
/// deserialisation of the buffered body. Only when it fails is the body parsed as a tree, each unreadable value noted
/// and taken out, until the rest reads.</summary>
/// <remarks>Handlers take it in place of the DTO and hand <see cref="ValueErrors"/> to the rules, which put them over
/// their own errors at the same paths (a date that did not parse is not also "required").</remarks>
public sealed class JsonBody<T> where T : class
{
    private JsonBody(T value, FieldErrors valueErrors) => (Value, ValueErrors) = (value, valueErrors);

    public T Value { get; }

    /// <summary>The values that could not be read, by path; empty when the body read cleanly.</summary>
    public FieldErrors ValueErrors { get; }

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext http, ParameterInfo parameter)
    {
        if (!http.Request.HasJsonContentType())
            throw new BadHttpRequestException("Expected a JSON body.", StatusCodes.Status415UnsupportedMediaType);
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var reader = http.Request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(http.RequestAborted);
            if (read.IsCompleted) break;
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End); // keep it all until the end of the body
        }
        try
        {
            var (value, errors) = Read(read.Buffer, options);
            return value is null
                ? throw new BadHttpRequestException("A JSON body is required.", StatusCodes.Status400BadRequest)
                : new JsonBody<T>(value, errors);
        }
        catch (JsonException e)
        {
            // Not JSON at all: malformed-json, with where the text broke.
            throw new BadHttpRequestException("The body is not JSON.", StatusCodes.Status400BadRequest, e);
        }
        catch (InvalidOperationException e) when (e.Source == "System.Text.Json")
        {
            // Text the reader cannot give as UTF-16 where no field can be named (a property name with a lone surrogate).
            throw new BadHttpRequestException("The body is not JSON.", StatusCodes.Status400BadRequest, new JsonException(e.Message, e));
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    /// <summary>The body as <typeparamref name="T"/>, with the values that could not be read (taken out) as errors.</summary>
    internal static (T? Value, FieldErrors Errors) Read(ReadOnlySequence<byte> body, JsonSerializerOptions options)
    {
        var errors = new FieldErrors();
        try
        {
            var first = new Utf8JsonReader(body);
            return (JsonSerializer.Deserialize<T>(ref first, options), errors);
        }
        catch (JsonException e) when (JsonValues.IsValueError(e)) { }

        try
        {
            return ReadTree(body, options, errors);
        }
        catch (ArgumentException e)
        {
            // A field given twice in one object (the tree, unlike the reader, cannot hold both): not one JSON document.
            throw new JsonException("A field appears twice in one object.", new JsonException(e.Message, e));
        }
    }

    private static (T? Value, FieldErrors Errors) ReadTree(ReadOnlySequence<byte> body, JsonSerializerOptions options, FieldErrors errors)
    {
        var tree = JsonNode.Parse(body.IsSingleSegment ? body.FirstSpan : body.ToArray(),
            new JsonNodeOptions { PropertyNameCaseInsensitive = options.PropertyNameCaseInsensitive });
        // Strings the reader cannot give as UTF-16 (an escaped lone surrogate) stop any deserialisation of the tree: each is
        // a value error at its field, taken out first.
        foreach (var where in UnreadableStrings(tree).ToList())
        {
            if (JsonValues.Segments(where) is not { Count: > 0 } at) throw new UnreadableValuesException(errors);
            var (code, args) = JsonValues.Describe(typeof(T), at);
            errors.Add(JsonValues.ToFieldPath(at), code, args);
            JsonValues.TakeOut(tree, at);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            try
            {
                return (tree.Deserialize<T>(options), errors);
            }
            catch (JsonException e) when (JsonValues.IsValueError(e) && JsonValues.Segments(e.Path) is { Count: > 0 } path)
            {
                // A value that cannot even be left empty (a list item that must be a number): what was found is the answer.
                if (!seen.Add(e.Path!)) throw new UnreadableValuesException(errors);
                var (code, args) = JsonValues.Describe(typeof(T), path);
                errors.Add(JsonValues.ToFieldPath(path), code, args);
                if (!JsonValues.TakeOut(tree, path)) throw new UnreadableValuesException(errors);
            }
        }
    }

    /// <summary>The paths of the string values of <paramref name="node"/> that cannot be read as UTF-16.</summary>
    private static IEnumerable<string> UnreadableStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o) foreach (var p in UnreadableStrings(child)) yield return p;
                break;
            case JsonArray a:
                foreach (var child in a) foreach (var p in UnreadableStrings(child)) yield return p;
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                bool readable;
                try { v.GetValue<string>(); readable = true; }
                catch (InvalidOperationException) { readable = false; }
                if (!readable) yield return v.GetPath();
                break;
        }
    }
}

/// <summary>Values of a body that could not be read, and the body could not be read without them: answered 400
/// <c>validation-failed</c> with these field errors.</summary>
public sealed class UnreadableValuesException(FieldErrors errors) : Exception("Values of the body could not be read.")
{
    public FieldErrors Errors { get; } = errors;
}

/// <summary>What a JSON value error says: whether the text was JSON at all, where, and what the field wanted.</summary>
public static class JsonValues
{
    /// <summary>A segment of a JSON path: a property name, or an index in a list.</summary>
    public readonly record struct Segment(string? Name, int Index);

    /// <summary>The text was JSON, but a value did not fit its field. A syntax error (the reader's) is not one.</summary>
    public static bool IsValueError(JsonException e) => e.InnerException is not JsonException;

    /// <summary><c>$.guests[1].document.number</c> → guests, 1, document, number; null for paths this cannot follow.</summary>
    public static List<Segment>? Segments(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$') return null;
        var segments = new List<Segment>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                segments.Add(new Segment(path[(i + 1)..end], -1));
                i = end;
            }
            else if (path[i] == '[' && path.IndexOf(']', i) is var close and > 0 && int.TryParse(path.AsSpan(i + 1, close - i - 1), out var index))
            {
                segments.Add(new Segment(null, index));
                i = close + 1;
            }
            else return null; // ['odd.name']: not ours to guess
        }
        return segments;
    }

    /// <summary>guests, 1, document, number → <c>guests[1].document.number</c>.</summary>
    public static string ToFieldPath(IEnumerable<Segment> path) =>
        string.Concat(path.Select((s, i) => s.Name is null ? $"[{s.Index}]" : i == 0 ? s.Name : "." + s.Name));

    /// <summary>The field error for a value that does not fit the property at <paramref name="path"/> of
    /// <paramref name="root"/>: a date, a time, one of a list of codes, a number…</summary>
    public static (string Code, object[] Args) Describe(Type root, IReadOnlyList<Segment> path)
    {
        var type = root;
        foreach (var s in path)
        {
            type = s.Name is null ? ElementType(type) : type?.GetProperty(s.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            if (type is null) return ("invalid-value", []);
        }
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(DateOnly)) return ("invalid-date", []);
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return ("invalid-date-time", []);
        if (type == typeof(TimeOnly)) return ("invalid-time", []);
        if (type.IsEnum) return ("invalid-choice", [string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)))]);
        if (type == typeof(bool)) return ("invalid-boolean", []);
        if (type == typeof(Guid)) return ("invalid-id", []);
        if (type == typeof(string)) return ("invalid-text", []);
        if (type.IsPrimitive || type == typeof(decimal)) return ("invalid-number", []);
        if (ElementType(type) is not null) return ("invalid-list", []);
        return ("invalid-object", []);
    }

    private static Type? ElementType(Type? type)
    {
        if (type is null || type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
    }

    /// <summary>Sets the value at <paramref name="path"/> to null, so that the rest of the body reads.</summary>
    public static bool TakeOut(JsonNode? tree, IReadOnlyList<Segment> path)
    {
        var node = tree;
        for (var i = 0; i < path.Count - 1 && node is not null; i++)
            node = path[i].Name is { } name ? (node as JsonObject)?[name] : node is JsonArray a && path[i].Index < a.Count ? a[path[i].Index] : null;
        var last = path[^1];
        switch (node)
        {
            case JsonObject o when last.Name is not null && o.ContainsKey(last.Name):
                o[last.Name] = null;
                return true;
            case JsonArray a when last.Name is null && last.Index < a.Count:
                a[last.Index] = null;
                return true;
            default:
                return false;
        }
    }
}

/// <summary>Dates as <c>yyyy-MM-dd</c>, only of the years the hub takes (<see cref="VietnamTime.FirstYear"/> to
/// <see cref="VietnamTime.LastYear"/>): another is a value error of its field (<c>invalid-date</c>), not a stored
/// 9999-12-31 that breaks the day arithmetic later.</summary>
public sealed class BoundedDateOnlyConverter : System.Text.Json.Serialization.JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateOnly.TryParseExact(LuuTruJson.ReadString(ref reader), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var day) && VietnamTime.InRange(day)
            ? day
            : throw new JsonException("Not a date of the years the hub takes.");

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Every string the API reads loses its NUL characters (U+0000): PostgreSQL cannot store them in text, and no
/// field has a use for one. Intake fields go further (<see cref="Text.Clean"/>: every invisible character). Strings are
/// written unchanged.</summary>
public sealed class StorableStringConverter : System.Text.Json.Serialization.JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = LuuTruJson.ReadString(ref reader);
        return value is null || !value.Contains('\0') ? value : value.Replace("\0", "", StringComparison.Ordinal);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
