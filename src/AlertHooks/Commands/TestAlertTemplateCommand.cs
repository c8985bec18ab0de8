using System;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Completers;
using AlertHooks.Targets;

namespace AlertHooks.Commands
{
    /// <summary>
    /// Renders a policy's body, or a body on its own, for events and validates each payload for its target.
    /// Nothing is sent, and no environment variable is read into the output.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AlertTemplate", DefaultParameterSetName = PolicySet)]
    [OutputType(typeof(TemplateTestResult))]
    public sealed class TestAlertTemplateCommand : PSCmdlet
    {
        private const string PolicySet = "Policy";
        private const string BodySet = "Body";

        /// <summary>Policy objects, or names of registered policies (wildcards allowed).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PolicySet)]
        [ValidateNotNull]
        [PolicyTransformation]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public AlertPolicy[] Policy { get; set; } = Array.Empty<AlertPolicy>();

        [Parameter(Mandatory = true, ParameterSetName = BodySet)]
        [ValidateNotNullOrEmpty]
        public string Body { get; set; } = string.Empty;

        /// <summary>The event types a body is tested for, with a sample event each.</summary>
        [Parameter(ParameterSetName = BodySet)]
        public AlertEventType[]? EventType { get; set; }

        /// <summary>Events to render instead of samples; events on the pipeline bind here when the policy or body is a parameter.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public AlertEvent[]? Event { get; set; }

        /// <summary>The target to validate for; by default the policy's, or for a body the one its shape suggests.</summary>
        [Parameter]
        public TargetKind? Target { get; set; }

        private Delivery.RenderSettings? _settings;

        protected override void BeginProcessing() => _settings = TemplateChecks.Settings(this);

        protected override void ProcessRecord()
        {
            if (ParameterSetName == BodySet)
            {
                if (Event == null && (EventType == null || EventType.Length == 0))
                {
                    ThrowTerminatingError(Errors.Create("EventTypeRequired", ErrorCategory.InvalidArgument,
                        "Test-AlertTemplate -Body needs -EventType (tested with a sample event of each type) or -Event.", Body));
                }

                var target = Target ?? PayloadShape.Guess(Body);
                if (Target == null && target != TargetKind.Generic)
                {
                    WriteVerbose($"The body looks like a {target} payload; it is validated for {target} (-Target chooses another).");
                }

                var events = Event ?? EventType!.Distinct().Select(t => TemplateChecks.Sample(t, _settings!)).ToArray();
                foreach (var alertEvent in events)
                {
                    WriteResult(TemplateChecks.Test(Body, target, alertEvent, null, _settings!));
                }

                return;
            }

            foreach (var policy in Policy)
            {
                // Without events, a sample of each event type the policy fires on.
                foreach (var alertEvent in Event ?? policy.EventTypes.Select(t => TemplateChecks.Sample(t, _settings!)).ToArray())
                {
                    if (!policy.EventTypes.Contains(alertEvent.EventType))
                    {
                        WriteWarning($"Policy '{policy.Name}' does not fire on {alertEvent.EventType} events; tested anyway.");
                    }

                    WriteResult(TemplateChecks.Test(policy.Body, Target ?? policy.Target, alertEvent, policy, _settings!));
                }
            }
        }

        private void WriteResult(TemplateTestResult result)
        {
            foreach (var diagnostic in result.Errors.Concat(result.Warnings))
            {
                WriteVerbose($"{result.EventType}: {diagnostic}");
            }

            WriteObject(result);
        }
    }
}
