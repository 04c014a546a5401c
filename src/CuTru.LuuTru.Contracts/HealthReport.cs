namespace CuTru.LuuTru.Contracts;

/// <summary>Body of <c>/health/ready</c>: the overall status and each dependency's.</summary>
public sealed record HealthReportDto(string Status, IReadOnlyDictionary<string, HealthEntryDto> Checks);

/// <summary>One dependency's health.</summary>
public sealed record HealthEntryDto(string Status, string? Description, double DurationMs);
