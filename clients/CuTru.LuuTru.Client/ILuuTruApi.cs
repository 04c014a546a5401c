using CuTru.LuuTru.Contracts;
using Refit;

namespace CuTru.LuuTru.Client;

/// <summary>The CuTru.LuuTru API, typed. Create one with <see cref="LuuTruClient.Create"/> or register it with
/// <see cref="LuuTruServiceCollectionExtensions.AddLuuTruClient"/>. Failed calls throw Refit's
/// <see cref="ApiException"/>; <see cref="ProblemExtensions.GetProblemAsync"/> reads its RFC 9457 body.</summary>
public interface ILuuTruApi
{
    /// <summary>Signs a person in. Use the token as <see cref="LuuTruClientOptions.AccessToken"/>.</summary>
    [Post("/api/v1/auth/login")]
    Task<LoginResponse> LoginAsync([Body] LoginRequest request, CancellationToken ct = default);

    /// <summary>Who the server takes the caller to be.</summary>
    [Get("/api/v1/me")]
    Task<MeResponse> MeAsync(CancellationToken ct = default);

    /// <summary>The 34 provinces.</summary>
    [Get("/api/v1/provinces")]
    Task<List<ProvinceDto>> GetProvincesAsync(CancellationToken ct = default);

    /// <summary>The communes of one province.</summary>
    [Get("/api/v1/provinces/{provinceCode}/communes")]
    Task<List<CommuneDto>> GetCommunesOfProvinceAsync(string provinceCode, CancellationToken ct = default);

    /// <summary>Finds communes by name, with or without diacritics (<c>hoan kiem</c>).</summary>
    [Get("/api/v1/communes")]
    Task<List<CommuneDto>> SearchCommunesAsync(string? q = null, string? provinceCode = null, int? limit = null, CancellationToken ct = default);

    /// <summary>One commune by its 5-digit code.</summary>
    [Get("/api/v1/communes/{code}")]
    Task<CommuneDto> GetCommuneAsync(string code, CancellationToken ct = default);

    /// <summary>Creates a person who signs in (admins only).</summary>
    [Post("/api/v1/users")]
    Task<UserDto> CreateUserAsync([Body] CreateUserRequest request, CancellationToken ct = default);

    /// <summary>Lists people who sign in (admins only).</summary>
    [Get("/api/v1/users")]
    Task<Page<UserDto>> ListUsersAsync(Role? role = null, string? cursor = null, int? limit = null, CancellationToken ct = default);

    /// <summary>Registers an establishment; it starts pending.</summary>
    [Post("/api/v1/establishments")]
    Task<EstablishmentDto> CreateEstablishmentAsync([Body] CreateEstablishmentRequest request, CancellationToken ct = default);

    /// <summary>Establishments the caller may see.</summary>
    [Get("/api/v1/establishments")]
    Task<Page<EstablishmentDto>> ListEstablishmentsAsync(string? communeCode = null, EstablishmentStatus? status = null, string? q = null,
        string? cursor = null, int? limit = null, CancellationToken ct = default);

    /// <summary>One establishment.</summary>
    [Get("/api/v1/establishments/{id}")]
    Task<EstablishmentDto> GetEstablishmentAsync(Guid id, CancellationToken ct = default);

    /// <summary>Approves an establishment (police of its commune).</summary>
    [Post("/api/v1/establishments/{id}/approve")]
    Task<EstablishmentDto> ApproveEstablishmentAsync(Guid id, CancellationToken ct = default);

    /// <summary>Suspends an establishment (police of its commune).</summary>
    [Post("/api/v1/establishments/{id}/suspend")]
    Task<EstablishmentDto> SuspendEstablishmentAsync(Guid id, [Body] SuspendEstablishmentRequest request, CancellationToken ct = default);

    /// <summary>Creates an API key; the key is in this answer only.</summary>
    [Post("/api/v1/establishments/{id}/api-keys")]
    Task<ApiKeyCreatedResponse> CreateApiKeyAsync(Guid id, [Body] CreateApiKeyRequest request, CancellationToken ct = default);

    /// <summary>Lists an establishment's API keys.</summary>
    [Get("/api/v1/establishments/{id}/api-keys")]
    Task<List<ApiKeyDto>> ListApiKeysAsync(Guid id, CancellationToken ct = default);

    /// <summary>Revokes an API key.</summary>
    [Delete("/api/v1/establishments/{id}/api-keys/{prefix}")]
    Task RevokeApiKeyAsync(Guid id, string prefix, CancellationToken ct = default);

    /// <summary>The reason code table.</summary>
    [Get("/api/v1/reasons")]
    Task<List<ReasonDto>> GetReasonsAsync(CancellationToken ct = default);

    /// <summary>Notifies one stay (an establishment's key or staff). The SDK adds an Idempotency-Key if none is given.</summary>
    [Post("/api/v1/notifications")]
    Task<NotificationReceiptDto> SubmitNotificationAsync([Body] NotificationRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken ct = default);

    /// <summary>Up to 500 notifications; a result per item.</summary>
    [Post("/api/v1/notifications/batch")]
    Task<BatchResponse> SubmitBatchAsync([Body] BatchRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken ct = default);

    /// <summary>Judges a notification without storing it.</summary>
    [Post("/api/v1/notifications/validate")]
    Task<ValidationResultDto> ValidateNotificationAsync([Body] NotificationRequest request, CancellationToken ct = default);

    /// <summary>Judges up to 500 notifications without storing them.</summary>
    [Post("/api/v1/notifications/batch/validate")]
    Task<BatchResponse> ValidateBatchAsync([Body] BatchRequest request, CancellationToken ct = default);

    /// <summary>One notification (readable at once, even while still buffered).</summary>
    [Get("/api/v1/notifications/{id}")]
    Task<NotificationDto> GetNotificationAsync(Guid id, CancellationToken ct = default);

    /// <summary>The establishment's own notifications, newest first.</summary>
    [Get("/api/v1/notifications")]
    Task<Page<NotificationDto>> ListNotificationsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, NotificationStatus? status = null,
        string? cursor = null, int? limit = null, string? receiptNumber = null, CancellationToken ct = default);

    /// <summary>A CSV or XLSX file of guests: <c>preview</c> judges every row, <c>send</c> notifies (the same file again answers the same receipts).</summary>
    [Post("/api/v1/notifications/upload")]
    Task<UploadReportDto> UploadAsync([Query] string mode, [Body] HttpContent file, CancellationToken ct = default);

    /// <summary>An officer enters a notification received in person or by phone.</summary>
    [Post("/api/v1/communes/{code}/notifications")]
    Task<NotificationReceiptDto> SubmitOfficerNotificationAsync(string code, [Body] OfficerNotificationRequest request,
        [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken ct = default);

    /// <summary>Stored report versions of a commune.</summary>
    [Get("/api/v1/communes/{code}/reports")]
    Task<List<ReportVersionDto>> ListReportsAsync(string code, CancellationToken ct = default);

    /// <summary>A report as JSON.</summary>
    [Get("/api/v1/communes/{code}/reports/{date}")]
    Task<CommuneReportDto> GetReportAsync(string code, string date, string? kind = null, int? version = null, CancellationToken ct = default);

    /// <summary>A report exported as <c>csv</c>, <c>xlsx</c> or <c>pdf</c>; the answer carries the file and its name.</summary>
    [Get("/api/v1/communes/{code}/reports/{date}.{format}")]
    Task<HttpResponseMessage> GetReportFileAsync(string code, string date, string format, string? kind = null, int? version = null,
        CancellationToken ct = default);

    /// <summary>An establishment applies online (no account); pending until approved.</summary>
    [Post("/api/v1/establishment-applications")]
    Task<EstablishmentDto> ApplyAsync([Body] CreateEstablishmentRequest request, CancellationToken ct = default);

    /// <summary>Checks out the whole stay, or the listed guests.</summary>
    [Post("/api/v1/notifications/{id}/checkout")]
    Task<NotificationDto> CheckoutAsync(Guid id, [Body] CheckoutRequest request, CancellationToken ct = default);

    /// <summary>Moves the planned departure later.</summary>
    [Post("/api/v1/notifications/{id}/extend")]
    Task<NotificationDto> ExtendAsync(Guid id, [Body] ExtendRequest request, CancellationToken ct = default);

    /// <summary>Corrects stay or guest fields.</summary>
    [Patch("/api/v1/notifications/{id}")]
    Task<NotificationDto> CorrectAsync(Guid id, [Body] NotificationPatch patch, CancellationToken ct = default);

    /// <summary>Cancels a notification made in error.</summary>
    [Post("/api/v1/notifications/{id}/cancel")]
    Task<NotificationDto> CancelAsync(Guid id, [Body] CancelRequest request, CancellationToken ct = default);

    /// <summary>Every change of a notification.</summary>
    [Get("/api/v1/notifications/{id}/history")]
    Task<List<NotificationChangeDto>> GetHistoryAsync(Guid id, CancellationToken ct = default);

    /// <summary>A family notifies its visitors (no account).</summary>
    [Post("/api/v1/household-notifications")]
    Task<NotificationReceiptDto> SubmitHouseholdNotificationAsync([Body] HouseholdNotificationRequest request,
        [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken ct = default);

    /// <summary>Intake entries the drain could not store (admins).</summary>
    [Get("/api/v1/admin/dead-letters")]
    Task<List<DeadLetterDto>> ListDeadLettersAsync(CancellationToken ct = default);

    /// <summary>One dead letter with the notification it carries (admins; audited).</summary>
    [Get("/api/v1/admin/dead-letters/{id}")]
    Task<DeadLetterDetailDto> GetDeadLetterAsync(string id, CancellationToken ct = default);

    /// <summary>Puts a dead letter back into the intake stream (admins; audited).</summary>
    [Post("/api/v1/admin/dead-letters/{id}/replay")]
    Task<DeadLetterDto> ReplayDeadLetterAsync(string id, CancellationToken ct = default);

    /// <summary>Drops a dead letter for good (admins; audited).</summary>
    [Delete("/api/v1/admin/dead-letters/{id}")]
    Task DropDeadLetterAsync(string id, CancellationToken ct = default);

    /// <summary>A household receipt's status, for the phone that sent it (both in the body).</summary>
    [Post("/api/v1/receipts/lookup")]
    Task<ReceiptStatusDto> LookupReceiptAsync([Body] ReceiptLookupRequest request, CancellationToken ct = default);
}
