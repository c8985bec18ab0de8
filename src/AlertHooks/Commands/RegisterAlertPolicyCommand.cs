using System;
using System.Management.Automation;
using AlertHooks.Delivery;
using AlertHooks.Policies;

namespace AlertHooks.Commands
{
    /// <summary>Saves policies in the store, where routing, Get-AlertPolicy and other sessions find them.</summary>
    [Cmdlet(VerbsLifecycle.Register, "AlertPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(AlertPolicy))]
    public sealed class RegisterAlertPolicyCommand : PSCmdlet
    {
        private PolicyStore? _store;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public AlertPolicy[] InputObject { get; set; } = Array.Empty<AlertPolicy>();

        /// <summary>Replace a registered policy of the same name.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing() => _store = PolicyStoreAccess.Open(this);

        protected override void ProcessRecord()
        {
            foreach (var policy in InputObject)
            {
                if (!ShouldProcess($"policy '{policy.Name}' ({policy.Target} at {policy.Endpoint}) in {_store!.Directory}", "Register"))
                {
                    continue;
                }

                try
                {
                    WriteObject(_store!.Register(policy, Force));
                }
                catch (Exception exception) when (exception is PolicyConflictException || exception is PolicyValidationException
                    || exception is TemplateException || exception is DeliveryValidationException)
                {
                    WriteError(Errors.From(exception, policy));
                }
            }
        }
    }
}
