using LegalRag.Server.Audit;
using LegalRag.Server.Auth;

namespace LegalRag.Server.Security;

/// <summary>
/// Writes every refused HTTP request to the audit log: 401 (no or unknown key), 403 (role or corpus), 413 (body too
/// large), 429 (rate limit). Who (caller, or "anonymous" and the address), what (method and path, never the query
/// string, which may carry a hub access token) and when.
/// </summary>
public static class DenialAudit
{
    public static IApplicationBuilder UseDenialAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (context.Response.StatusCode is not (401 or 403 or 413 or 429)) return;
        var audit = context.RequestServices.GetRequiredService<AuditLog>();
        await audit.WriteAsync(new AuditEvent
        {
            Action = "denied", User = context.User.CallerName(), Role = context.User.CallerRole(), Status = context.Response.StatusCode,
            Method = context.Request.Method, Path = AuditLog.Cap(context.Request.Path.Value), Address = context.Connection.RemoteIpAddress?.ToString(),
            Transport = "http",
        }, CancellationToken.None);
    });
}
