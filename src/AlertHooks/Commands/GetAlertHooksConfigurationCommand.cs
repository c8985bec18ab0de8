using System;
using System.IO;
using System.Management.Automation;

namespace AlertHooks.Commands
{
    /// <summary>The configuration in effect: where state is kept, the deployment tokens and the delivery defaults.</summary>
    [Cmdlet(VerbsCommon.Get, "AlertHooksConfiguration")]
    [OutputType(typeof(Configuration))]
    public sealed class GetAlertHooksConfigurationCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            try
            {
                WriteObject(Configuration.Load());
            }
            catch (InvalidDataException exception)
            {
                ThrowTerminatingError(new ErrorRecord(exception, "ConfigurationInvalid", ErrorCategory.InvalidData, null));
            }
        }
    }
}
