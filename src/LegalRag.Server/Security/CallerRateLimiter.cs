using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using LegalRag.Server.Audit;
using LegalRag.Server.Auth;
using LegalRag.Server.Configuration;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;

namespace LegalRag.Server.Security;

/// <summary>
/// One token bucket per caller (per API key's caller name; per remote address for requests without a valid key),
/// shared by HTTP requests and hub invocations. No queue: beyond the bucket a request is refused at once (429 with
/// Retry-After) instead of waiting in a line that grows without bound.
/// </summary>
public sealed class CallerRateLimiter : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public CallerRateLimiter(LimitSettings limits)
    {
        _limiter = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = limits.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public static string PartitionOf(ClaimsPrincipal user, string? remoteAddress) =>
        user.Identity?.IsAuthenticated == true ? "caller:" + user.CallerName() : "address:" + (remoteAddress ?? "unknown");

    public RateLimitLease TryAcquire(string partition) => _limiter.AttemptAcquire(partition);

    /// <summary>The same buckets, keyed by the HTTP request's caller (authentication runs before the limiter).</summary>
    public PartitionedRateLimiter<HttpContext> ForHttp() =>
        _limiter.WithTranslatedKey<HttpContext>(c => PartitionOf(c.User, c.Connection.RemoteIpAddress?.ToString()), leaveOpen: true);

    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}

public static class RateLimitingExtensions
{
    public static IServiceCollection AddLegalRagRateLimiting(this IServiceCollection services, LimitSettings limits)
    {
        services.AddSingleton(new CallerRateLimiter(limits));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<CallerRateLimiter>((o, limiter) =>
        {
            o.GlobalLimiter = limiter.ForHttp();
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, cancellationToken) =>
            {
                var seconds = CallerRateLimiter.RetryAfterSeconds(context.Lease);
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(Results.Problem(detail: $"rate limit exceeded: retry in {seconds} s", statusCode: StatusCodes.Status429TooManyRequests)
                    .ExecuteAsync(context.HttpContext));
            };
        });
        return services;
    }
}

/// <summary>Hub invocations draw on the caller's bucket too: one WebSocket must not carry unlimited questions.</summary>
public sealed class HubRateLimitFilter(CallerRateLimiter limiter, AuditLog audit) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        var user = context.User ?? new ClaimsPrincipal();
        using var lease = limiter.TryAcquire(CallerRateLimiter.PartitionOf(user, context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString()));
        if (!lease.IsAcquired)
        {
            var seconds = CallerRateLimiter.RetryAfterSeconds(lease);
            await audit.WriteAsync(new AuditEvent
            {
                Action = "denied", User = user.CallerName(), Role = user.CallerRole(), Status = StatusCodes.Status429TooManyRequests,
                Method = "hub", Path = Hubs.ChatHub.Path + "/" + invocationContext.HubMethodName, Transport = "hub", Error = "rate limit exceeded",
            }, context.ConnectionAborted);
            throw new HubException($"rate limit exceeded: retry in {seconds} s");
        }
        return await next(invocationContext);
    }
}
