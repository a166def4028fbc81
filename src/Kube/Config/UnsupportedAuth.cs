namespace RecOperator.Kube.Config;

/// <summary>
/// Refuses the kubeconfig user settings this client does not implement, each with what to use instead. No I/O.
/// </summary>
internal static class UnsupportedAuth
{
    public static void Check(YamlFields user)
    {
        if (user.Mapping("auth-provider") is { } provider)
        {
            throw user.Error("auth-provider", AuthProviderProblem(provider.Text("name")));
        }

        foreach (var basic in new[] { "username", "password" })
        {
            if (user.Has(basic))
            {
                throw user.Error(basic, "basic authentication is not supported: the API server removed it in Kubernetes 1.19; use a token, a client certificate or an exec plugin");
            }
        }

        if (user.Has("exec"))
        {
            // kubectl would send the static one and ignore the plugin's token: refused rather than guessed.
            foreach (var other in new[] { "token", "tokenFile", "client-certificate", "client-certificate-data", "client-key", "client-key-data" })
            {
                if (user.Has(other))
                {
                    throw user.Error(other, "cannot be combined with exec: the plugin supplies the credential; remove one of them");
                }
            }
        }
    }

    /// <summary>Why an auth provider does not work here, and which exec plugin replaces it.</summary>
    internal static string AuthProviderProblem(string? name) => name switch
    {
        "gcp" => "the gcp auth provider was removed from client-go in Kubernetes 1.26; install the exec plugin gke-gcloud-auth-plugin and run 'gcloud container clusters get-credentials' again, which writes an exec user",
        "azure" => "the azure auth provider was removed from client-go in Kubernetes 1.26; install the exec plugin kubelogin (Azure) and run 'kubelogin convert-kubeconfig', which writes an exec user",
        "oidc" => "the oidc auth provider is not supported; use the exec plugin kubelogin (kubectl oidc-login get-token, int128/kubelogin) instead",
        _ => $"auth provider '{name}' is not supported: client-go removed its in-tree providers (gcp and azure in Kubernetes 1.26); use an exec plugin instead: gke-gcloud-auth-plugin (GKE), kubelogin (AKS, OIDC) or 'aws eks get-token' (EKS)",
    };
}
