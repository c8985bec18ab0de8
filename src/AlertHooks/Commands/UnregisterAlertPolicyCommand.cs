using System;
using System.Collections.Generic;
using System.Management.Automation;
using AlertHooks.Completers;
using AlertHooks.Policies;

namespace AlertHooks.Commands
{
    /// <summary>Removes policies from the store; events no longer route to them.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "AlertPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet)]
    [OutputType(typeof(AlertPolicy))]
    public sealed class UnregisterAlertPolicyCommand : PSCmdlet
    {
        private const string NameSet = "Name";
        private const string InputObjectSet = "InputObject";

        private PolicyStore? _store;
        private IReadOnlyList<AlertPolicy>? _registered;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public AlertPolicy[] InputObject { get; set; } = Array.Empty<AlertPolicy>();

        /// <summary>Emit each policy removed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing() => _store = PolicyStoreAccess.Open(this);

        protected override void ProcessRecord()
        {
            var targets = PolicyStoreAccess.Select(this, _store!, ref _registered, ParameterSetName == InputObjectSet, InputObject, Name);
            foreach (var policy in targets)
            {
                if (!ShouldProcess($"policy '{policy.Name}' ({policy.Id})", "Unregister"))
                {
                    continue;
                }

                try
                {
                    if (!_store!.Remove(policy.Id))
                    {
                        WriteError(PolicyStoreAccess.NotFound(policy.Name));
                    }
                    else if (PassThru)
                    {
                        WriteObject(policy);
                    }
                }
                catch (PolicyValidationException exception)
                {
                    WriteError(Errors.From(exception, policy));
                }
            }
        }
    }
}
