using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>A file sent to <c>POST /api/v1/notifications/upload</c> as a PMS or the upload page sends it: the file itself, typed.</summary>
public static class Uploads
{
    public static ByteArrayContent File(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    /// <summary>The upload in <paramref name="mode"/> (preview or send), which must answer 200 with its report.</summary>
    public static async Task<UploadReportDto> UploadAsync(HttpClient client, byte[] bytes, string type, string mode)
    {
        var response = await client.PostAsync($"/api/v1/notifications/upload?mode={mode}", File(bytes, type));
        await Expect.Status(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<UploadReportDto>(LuuTruServerFactory.Json))!;
    }
}
