using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Tests.Infrastructure;

public static class Expect
{
    /// <summary>Asserts the status and shows the body when it differs, so a failure explains itself.</summary>
    public static async Task Status(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>Asserts an RFC 9457 problem with the status and code; returns it for further checks.</summary>
    public static async Task<ProblemResponse> Problem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        await Status(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemResponse>(LuuTruServerFactory.Json);
        Assert.NotNull(problem);
        Assert.Equal((int)status, problem.Status);
        Assert.Equal(code, problem.Code);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
        Assert.False(string.IsNullOrWhiteSpace(problem.TraceId));
        return problem;
    }

    public static FieldError Field(ProblemResponse problem, string path, string code)
    {
        Assert.NotNull(problem.Errors);
        Assert.True(problem.Errors.ContainsKey(path), $"no error for '{path}'; errors: {string.Join(", ", problem.Errors.Keys)}");
        var error = Assert.Single(problem.Errors[path], e => e.Code == code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }
}
