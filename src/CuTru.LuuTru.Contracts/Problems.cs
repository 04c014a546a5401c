namespace CuTru.LuuTru.Contracts;

/// <summary>One problem with one field of a request.</summary>
/// <param name="Code">Stable, machine-readable (e.g. <c>required</c>).</param>
/// <param name="Message">For people: Vietnamese unless the request asked for English.</param>
public sealed record FieldError(string Code, string Message);

/// <summary>An RFC 9457 problem details body as the API writes it.</summary>
/// <param name="Code">Stable, machine-readable (e.g. <c>validation-failed</c>); see the README's error table.</param>
/// <param name="Errors">For validation problems: the errors keyed by the field's JSON path (<c>guests[1].document.number</c>).</param>
public sealed record ProblemResponse(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    string? Instance,
    string? Code,
    string? TraceId,
    IReadOnlyDictionary<string, FieldError[]>? Errors);
