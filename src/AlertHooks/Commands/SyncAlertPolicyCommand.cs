using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Policies;

namespace AlertHooks.Commands
{
    /// <summary>
    /// Makes the store match a folder of policy files: plans Add, Change, Remove (only with -Prune) and Unchanged per
    /// policy, then applies it unless -Plan or -WhatIf. A folder with any invalid file changes nothing.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "AlertPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(PolicyPlanEntry))]
    public sealed class SyncAlertPolicyCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Unregister the policies that have no file in the folder.</summary>
        [Parameter]
        public SwitchParameter Prune { get; set; }

        /// <summary>Only emit the plan; change nothing (like -WhatIf, without the What if: lines).</summary>
        [Parameter]
        public SwitchParameter Plan { get; set; }

        protected override void EndProcessing()
        {
            var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!Directory.Exists(folder))
            {
                ThrowTerminatingError(Errors.Create("PolicyFolderNotFound", ErrorCategory.ObjectNotFound, $"The policy folder '{folder}' does not exist.", Path));
            }

            var documents = PolicyFolder.Read(this, new[] { folder }, out var failures);
            if (failures > 0)
            {
                ThrowTerminatingError(Errors.Create("SyncAborted", ErrorCategory.InvalidData,
                    $"{failures} policy file(s) in '{folder}' are not valid (see the errors before this one); nothing was changed.", folder));
            }

            if (documents.Count == 0 && Prune)
            {
                // An empty folder is far more often a wrong path or checkout than a wish to remove every policy.
                ThrowTerminatingError(Errors.Create("PolicyFolderEmpty", ErrorCategory.InvalidArgument,
                    $"'{folder}' holds no policy file, and -Prune would unregister every policy; nothing was changed. Use Unregister-AlertPolicy to remove them all.", folder));
            }

            var store = PolicyStoreAccess.Open(this);
            var plan = PolicySync.Plan(documents, PolicyStoreAccess.Load(this, store), Prune);
            if (!Plan)
            {
                var chosen = plan.Where(e => e.Action != PolicyPlanAction.Unchanged && ShouldProcess(Describe(e), e.Action.ToString())).ToList();
                try
                {
                    store.Apply(chosen);
                }
                catch (PolicyConflictException exception)
                {
                    ThrowTerminatingError(Errors.From(exception, folder));
                }

                chosen.ForEach(e => e.Applied = true);
            }

            foreach (var entry in plan)
            {
                WriteObject(entry);
            }
        }

        private static string Describe(PolicyPlanEntry entry) => entry.Action switch
        {
            PolicyPlanAction.Add => $"policy '{entry.Name}' from {entry.Path}",
            PolicyPlanAction.Change => $"policy '{entry.Name}' ({string.Join(", ", entry.Changes)}) from {entry.Path}",
            _ => $"policy '{entry.Name}' ({entry.Id})",
        };
    }
}
