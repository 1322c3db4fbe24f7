using System.Security.Claims;
using Emotion.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Emotion.Web;

/// <summary>Sign-in against the users file; the caller (role and tenant) travels in the cookie and is checked against the file on every request.</summary>
internal static class ConsoleAuth
{
    private const string TenantClaim = "emotion:tenant";

    public static ClaimsPrincipal Principal(Caller caller)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, caller.Name), new(ClaimTypes.Role, Roles.Name(caller.Role)) };
        if (caller.Tenant is { } t) claims.Add(new Claim(TenantClaim, t));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The caller of a signed-in request, or null.</summary>
    public static Caller? CallerOf(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var name = user.FindFirstValue(ClaimTypes.Name);
        if (name is null || !Roles.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role)) return null;
        return new Caller(name, role, user.FindFirstValue(TenantClaim));
    }

    /// <summary>
    /// A cookie is good only while its user still exists with the same role and tenant: a removed user, or one whose role
    /// or tenant changed, is signed out on the next request.
    /// </summary>
    public static Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var caller = context.Principal is null ? null : CallerOf(context.Principal);
        var store = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        var user = caller is null ? null : store.Load().FirstOrDefault(u => string.Equals(u.Name, caller.Name, StringComparison.Ordinal));
        if (caller is null || user is null || user.PasswordHash is null
            || !string.Equals(user.Role, Roles.Name(caller.Role), StringComparison.Ordinal)
            || !string.Equals(user.Tenant, caller.Tenant, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            return context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
        return Task.CompletedTask;
    }
}
