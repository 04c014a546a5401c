using CuTru.LuuTru.Contracts;
using Refit;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>The national system's API as documented (shared/domain/kbtt-api.md), for the relay. Answers come back as
/// <see cref="IApiResponse{T}"/>: a business error may be HTTP 400 or HTTP 200 with body code "400", so the status alone
/// never decides.</summary>
public interface IKbttApi
{
    [Post("/authorization-service/oauth/token")]
    Task<IApiResponse<KbttEnvelope<KbttTokenData>>> TokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Header("Authorization")] string? basic, CancellationToken ct);

    [Post("/authorization-service/oauth/refresh-token")]
    Task<IApiResponse<KbttEnvelope<KbttTokenData>>> RefreshAsync([Query, AliasAs("refresh_token")] string refreshToken,
        [Header("Authorization")] string? basic, CancellationToken ct);

    [Post("/client-service/kbtt-vn/kbtt-3th")]
    Task<IApiResponse<KbttEnvelope<object>>> DeclareVietnameseAsync([Body] IReadOnlyList<KbttVietnameseGuest> guests,
        [Authorize("Bearer")] string token, CancellationToken ct);

    [Post("/client-service/kbtt/kbtt-3th")]
    Task<IApiResponse<KbttEnvelope<object>>> DeclareForeignAsync([Body] IReadOnlyList<KbttForeignGuest> guests,
        [Authorize("Bearer")] string token, CancellationToken ct);

    [Post("/client-service/kbtt-vn/kbtt-3th/doi-ngay-tra-phong")]
    Task<IApiResponse<KbttEnvelope<object>>> ChangeDepartureAsync([Body] IReadOnlyList<KbttDepartureChange> changes,
        [Authorize("Bearer")] string token, CancellationToken ct);
}
