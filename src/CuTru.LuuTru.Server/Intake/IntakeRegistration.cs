namespace CuTru.LuuTru.Server.Intake;

/// <summary>The intake pipeline: judge and number (IntakeService), buffer in Redis (IntakeBuffer), keep the staying
/// index, drain into PostgreSQL (IntakeDrainWorker).</summary>
public static class IntakeRegistration
{
    /// <summary>Registered after storage: hosted services start in order, so the drain and the index rebuilder find the
    /// schema the database initializer put in place.</summary>
    public static IServiceCollection AddLuuTruIntake(this IServiceCollection services)
    {
        services.AddScoped<PostgresReceiptCounter>();
        services.AddScoped<IntakeService>();
        services.AddSingleton<IntakeBuffer>();
        services.AddSingleton<Pseudonyms>();
        services.AddSingleton<ReceiptCodes>();
        services.AddSingleton<ReferenceData.RemoteCommunes>();
        services.AddSingleton<StayingIndex>();
        services.AddHostedService<StayingIndexRebuilder>();
        services.AddHostedService<IntakeWarmUp>(); // role api: the intake's path run through before the first request
        services.AddSingleton<IntakeDrainWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<IntakeDrainWorker>());
        return services;
    }
}
