using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using AlertHooks.Delivery;
using AlertHooks.Targets;

namespace AlertHooks
{
    /// <summary>The checks Test-AlertTemplate reports and New-AlertPolicy enforces, rendered the way a send would.</summary>
    internal static class TemplateChecks
    {
        /// <summary>The deployment values a send would use: the saved configuration, else the environment.</summary>
        public static RenderSettings Settings(Cmdlet cmdlet)
        {
            try
            {
                return Configuration.Load().ToRenderSettings();
            }
            catch (InvalidDataException exception)
            {
                cmdlet.WriteWarning(exception.Message);
                return new RenderSettings();
            }
        }

        /// <summary>A sample event that carries the configured deployment, as a test notification does.</summary>
        public static AlertEvent Sample(AlertEventType eventType, RenderSettings settings)
        {
            var deployment = new Dictionary<string, object?>();
            if (!string.IsNullOrEmpty(settings.DeploymentName))
            {
                deployment["deployment_name"] = settings.DeploymentName;
            }

            if (!string.IsNullOrEmpty(settings.DeploymentUrl))
            {
                deployment["deployment_url"] = settings.DeploymentUrl;
            }

            return SampleEvents.Create(eventType, deployment);
        }

        public static TemplateTestResult Test(string body, TargetKind target, AlertEvent alertEvent, AlertPolicy? policy, RenderSettings settings) =>
            TemplateTester.Test(body, target, alertEvent, new TemplateTestSettings
            {
                PolicyName = policy?.Name,
                PolicyId = policy?.Id,
                DeploymentName = settings.DeploymentName,
                DeploymentUrl = settings.DeploymentUrl,
            });
    }
}
