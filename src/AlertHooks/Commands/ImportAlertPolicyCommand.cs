using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Policies;

namespace AlertHooks.Commands
{
    /// <summary>Reads policy files (one, or every *.json of a folder), validates them and emits the policies.</summary>
    [Cmdlet(VerbsData.Import, "AlertPolicy")]
    [OutputType(typeof(AlertPolicy))]
    public sealed class ImportAlertPolicyCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var document in PolicyFolder.Read(this, Path))
            {
                WriteObject(document.Policy);
            }
        }
    }
}
