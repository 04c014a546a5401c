using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace CuTru.LuuTru.Client;

/// <summary>How the SDK reaches the server and who it is.</summary>
public sealed class LuuTruClientOptions
{
    /// <summary>The server, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1:8080");
    /// <summary>An establishment's API key (sent as <c>X-Api-Key</c>).</summary>
    public string? ApiKey { get; set; }
    /// <summary>A person's access token from <see cref="ILuuTruApi.LoginAsync"/> (sent as a bearer token).</summary>
    public string? AccessToken { get; set; }
    /// <summary>Preferred language of error messages: <c>vi</c> (default) or <c>en</c>.</summary>
    public string Language { get; set; } = "vi";
    /// <summary>Attempts per call on 429, 503 and network errors (1 = no retry).</summary>
    public int MaxAttempts { get; set; } = 4;
}

public static class LuuTruClient
{
    /// <summary>Refit settings with the API's JSON conventions (camelCase, kebab-case enums), also in query strings.</summary>
    public static RefitSettings Settings { get; } = new()
    {
        ContentSerializer = new SystemTextJsonContentSerializer(LuuTruJson.CreateOptions()),
        UrlParameterFormatter = new KebabEnumUrlParameterFormatter(),
    };

    /// <summary>A client for quick use: <c>var api = LuuTruClient.Create(new() { ApiKey = "lt_..." });</c></summary>
    /// <remarks>Requests pass the auth handler, then get an Idempotency-Key (POSTs), then are retried on 429, 503 and network errors.</remarks>
    public static ILuuTruApi Create(LuuTruClientOptions options, HttpMessageHandler? innerHandler = null)
    {
        var pipeline = new LuuTruAuthHandler(options)
        {
            InnerHandler = new IdempotencyKeyHandler
            {
                InnerHandler = new RetryHandler(options.MaxAttempts) { InnerHandler = innerHandler ?? new HttpClientHandler() },
            },
        };
        return RestService.For<ILuuTruApi>(new HttpClient(pipeline) { BaseAddress = options.BaseAddress }, Settings);
    }
}

/// <summary>Adds the API key or bearer token and the preferred language to every request.</summary>
public sealed class LuuTruAuthHandler(LuuTruClientOptions options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.ApiKey)) request.Headers.TryAddWithoutValidation("X-Api-Key", options.ApiKey);
        else if (!string.IsNullOrEmpty(options.AccessToken)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
        if (!string.IsNullOrEmpty(options.Language)) request.Headers.AcceptLanguage.ParseAdd(options.Language);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Enum values in query strings as the API spells them: <c>commune-officer</c>, <c>pending</c>.</summary>
public sealed class KebabEnumUrlParameterFormatter : DefaultUrlParameterFormatter
{
    public override string? Format(object? value, ICustomAttributeProvider attributeProvider, Type type) =>
        value is Enum e ? JsonNamingPolicy.KebabCaseLower.ConvertName(e.ToString()) : base.Format(value, attributeProvider, type);
}

public static class LuuTruServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ILuuTruApi"/> with HttpClientFactory.</summary>
    public static IHttpClientBuilder AddLuuTruClient(this IServiceCollection services, Action<LuuTruClientOptions> configure)
    {
        var options = new LuuTruClientOptions();
        configure(options);
        return services.AddRefitGeneratedClient<ILuuTruApi>(LuuTruClient.Settings)
            .ConfigureHttpClient(c => c.BaseAddress = options.BaseAddress)
            .AddHttpMessageHandler(() => new LuuTruAuthHandler(options))
            .AddHttpMessageHandler(() => new IdempotencyKeyHandler())
            .AddHttpMessageHandler(() => new RetryHandler(options.MaxAttempts));
    }
}

public static class ProblemExtensions
{
    /// <summary>The RFC 9457 problem the server answered with, or null if the body is not one.</summary>
    public static async Task<ProblemResponse?> GetProblemAsync(this ApiException exception)
    {
        if (string.IsNullOrEmpty(exception.Content)) return null;
        try { return await exception.GetContentAsAsync<ProblemResponse>(); }
        catch (JsonException) { return null; }
    }
}
