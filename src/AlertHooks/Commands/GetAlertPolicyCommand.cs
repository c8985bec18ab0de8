using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Completers;
using AlertHooks.Policies;

namespace AlertHooks.Commands
{
    /// <summary>Lists registered policies; a file that cannot be read is an error naming it, and the others still come.</summary>
    [Cmdlet(VerbsCommon.Get, "AlertPolicy", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(AlertPolicy))]
    public sealed class GetAlertPolicyCommand : PSCmdlet
    {
        private const string NameSet = "Name";
        private const string IdSet = "Id";

        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string[] Name { get; set; } = { "*" };

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Only policies that handle at least one of these event types.</summary>
        [Parameter]
        public AlertEventType[]? EventType { get; set; }

        protected override void ProcessRecord()
        {
            var policies = PolicyStoreAccess.Load(this, PolicyStoreAccess.Open(this));
            IEnumerable<AlertPolicy> selected;
            if (ParameterSetName == IdSet)
            {
                var found = new List<AlertPolicy>();
                foreach (var id in Id)
                {
                    var policy = policies.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));
                    if (policy == null)
                    {
                        WriteError(Errors.Create("PolicyNotFound", ErrorCategory.ObjectNotFound, $"No registered policy has the id '{id}'.", id));
                    }
                    else if (!found.Contains(policy))
                    {
                        found.Add(policy);
                    }
                }

                selected = found;
            }
            else
            {
                selected = PolicyStoreAccess.ByName(this, policies, Name);
            }

            if (EventType != null && EventType.Length > 0)
            {
                selected = selected.Where(p => p.EventTypes.Any(EventType.Contains));
            }

            foreach (var policy in selected)
            {
                WriteObject(policy);
            }
        }
    }
}
