using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>The police search as the dashboard calls it: <c>POST {scope}/notifications/search</c>, the words in the body.</summary>
public static class Searching
{
    /// <param name="scope">"/api/v1/communes/00070" or "/api/v1/provinces/01".</param>
    public static Task<HttpResponseMessage> PostSearchAsync(this HttpClient client, string scope, NotificationSearchRequest request) =>
        client.PostAsJsonAsync($"{scope}/notifications/search", request, LuuTruServerFactory.Json);

    public static async Task<Page<NotificationDto>> SearchAsync(this HttpClient client, string scope, NotificationSearchRequest request)
    {
        var response = await client.PostSearchAsync(scope, request);
        await Expect.Status(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<Page<NotificationDto>>(LuuTruServerFactory.Json))!;
    }

    public static Task<Page<NotificationDto>> SearchAsync(this HttpClient client, string scope, string q) =>
        client.SearchAsync(scope, new NotificationSearchRequest(q));
}
