using AlertHooks.Delivery;
using AlertHooks.Targets;

namespace AlertHooks
{
    /// <summary>The checks Test-AlertTemplate reports and New-AlertPolicy enforces, rendered the way a send would.</summary>
    internal static class TemplateChecks
    {
        public static TemplateTestResult Test(string body, TargetKind target, AlertEvent alertEvent, AlertPolicy? policy)
        {
            var render = new RenderSettings();
            return TemplateTester.Test(body, target, alertEvent, new TemplateTestSettings
            {
                PolicyName = policy?.Name,
                PolicyId = policy?.Id,
                DeploymentName = render.DeploymentName,
                DeploymentUrl = render.DeploymentUrl,
            });
        }
    }
}
