namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>A query value with a NUL character (<c>%00</c>) is answered 400 <c>validation-failed</c> at its parameter,
/// before any handler: PostgreSQL cannot take the byte in text, and no parameter has a use for one. (A NUL in the path is
/// refused by Kestrel itself; bodies lose theirs in <see cref="StorableStringConverter"/>.)</summary>
public static class QueryCheck
{
    public static IApplicationBuilder UseQueryCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var raw = http.Request.QueryString.Value;
        if (raw is not null && raw.Contains("%00", StringComparison.Ordinal))
        {
            var errors = new FieldErrors();
            foreach (var (name, values) in http.Request.Query)
                if (values.Any(v => v?.Contains('\0') == true)) errors.Add(name.Replace("\0", ""), "invalid-value");
            if (errors.Any)
            {
                // The KBTT-compatible paths answer in KBTT's envelope, as every answer there.
                if (http.Request.Path.StartsWithSegments(Kbtt.KbttEndpoints.Prefix)) await Kbtt.KbttAnswers.Error(400, "invalid-value").ExecuteAsync(http);
                else await Problems.Validation(errors).ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    });
}
