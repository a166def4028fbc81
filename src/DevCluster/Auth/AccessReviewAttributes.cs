using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>The request an access review asks about (its resourceAttributes or nonResourceAttributes), for <paramref name="user"/>.</summary>
public static class AccessReviewAttributes
{
    public static RequestAttributes From(UserInfo user, V1ResourceAttributes? resource, V1NonResourceAttributes? nonResource)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (resource is not null)
        {
            return new RequestAttributes
            {
                User = user,
                Verb = resource.Verb ?? "",
                IsResourceRequest = true,
                ApiGroup = resource.Group ?? "",
                ApiVersion = resource.Version ?? "",
                Namespace = resource.Namespace ?? "",
                Resource = resource.Resource ?? "",
                Subresource = resource.Subresource ?? "",
                Name = resource.Name ?? "",
            };
        }
        return new RequestAttributes { User = user, Verb = nonResource?.Verb ?? "", Path = nonResource?.Path ?? "" };
    }
}
