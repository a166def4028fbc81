using Microsoft.AspNetCore.Http;

namespace RecOperator.DevCluster.Auth;

/// <summary>The user a request was authenticated (and impersonated) as, kept on the request for handlers that answer from it.</summary>
public static class RequestUser
{
    public static void Set(HttpContext context, UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Features.Set(user);
    }

    public static UserInfo Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<UserInfo>() ?? throw new InvalidOperationException("the request reached a handler without being authenticated");
    }
}
