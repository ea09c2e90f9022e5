using DevEnv.Hosting.Model;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>Test reads of a context's current snapshot.</summary>
public static class ResourceContextTestExtensions
{
    extension(ResourceContext context)
    {
        /// <summary>The context's resource as Aspire's notification service has it now.</summary>
        public TestSnapshot Current => TestNotifications.Read(context.Notifications, context.ResourceName);
    }
}
