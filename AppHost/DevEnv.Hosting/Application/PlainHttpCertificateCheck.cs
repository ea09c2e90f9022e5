using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

// Aspire's certificate API is marked for evaluation; it is the only way to say "this resource uses no certificate".
#pragma warning disable ASPIRECERTIFICATES001

namespace DevEnv.Hosting.Application;

/// <summary>
/// Keeps Aspire's development-certificate check to the resources it applies to. Aspire gives every project resource an
/// HTTPS certificate callback, and the orchestrator posts the red "No trusted development certificate" notification
/// in the dashboard whenever a resource has one and no trusted ASP.NET Core certificate exists, even though the
/// callback does nothing for a project without an HTTPS endpoint. DevEnv serves the dashboard over plain HTTP on
/// 127.0.0.1 and runs projects in the cluster over plain HTTP, so for a project with no HTTPS endpoint the certificate
/// is never used: it is marked as using none (Aspire's WithoutHttpsCertificate), and the check stays on for any resource
/// that does declare HTTPS.
/// </summary>
internal static class PlainHttpCertificateCheck
{
    /// <summary>Subscribes the marking to BeforeStartEvent, which Aspire publishes before its orchestrator runs the check.</summary>
    public static void Register(IDistributedApplicationBuilder builder) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            foreach (var project in e.Model.Resources.OfType<ProjectResource>().Where(NeedsNoCertificate).ToList())
            {
                builder.CreateResourceBuilder(project).WithoutHttpsCertificate();
            }

            return Task.CompletedTask;
        });

    private static bool NeedsNoCertificate(ProjectResource project) =>
        !project.Annotations.OfType<EndpointAnnotation>().Any(e => e.UriScheme == "https" || e.TlsEnabled)
        && !project.Annotations.OfType<HttpsCertificateAnnotation>().Any();
}
