using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Management.Automation;
using AlertHooks.Completers;
using AlertHooks.Delivery;

namespace AlertHooks.Commands
{
    /// <summary>Removes records from the delivery journal.</summary>
    [Cmdlet(VerbsCommon.Remove, "AlertDelivery", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(AlertDelivery))]
    public sealed class RemoveAlertDeliveryCommand : PSCmdlet
    {
        private const string IdSet = "Id";
        private const string DeliverySet = "Delivery";

        private FileDeliveryJournal? _journal;
        private Dictionary<string, AlertDelivery>? _records;

        /// <summary>Records from Get-AlertDelivery.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = DeliverySet)]
        [ValidateNotNullOrEmpty]
        public AlertDelivery[] Delivery { get; set; } = Array.Empty<AlertDelivery>();

        /// <summary>Delivery ids, exactly as Get-AlertDelivery shows them.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DeliveryIdCompleter))]
        [Alias("DeliveryId")]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Emits each removed record.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            try
            {
                _journal = JournalAccess.Open();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create("JournalUnreadable", ErrorCategory.ReadError,
                    $"The delivery journal cannot be read: {exception.Message}", JournalAccess.Configuration().EffectiveJournalPath));
            }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == DeliverySet)
            {
                foreach (var delivery in Delivery)
                {
                    Remove(delivery.Id);
                }

                return;
            }

            foreach (var id in Id)
            {
                Remove(id);
            }
        }

        private void Remove(string id)
        {
            // One read of the journal serves the whole pipeline: a record is found among all the logs of the folder.
            _records ??= _journal!.Read().Records.ToDictionary(r => r.Id, StringComparer.Ordinal);
            if (!_records.TryGetValue(id, out var record))
            {
                WriteError(Errors.Create("DeliveryNotFound", ErrorCategory.ObjectNotFound, $"The delivery journal has no record '{id}'.", id));
                return;
            }

            if (!ShouldProcess($"{record.Id} ({record.Status}, policy '{record.PolicyName}', {record.Endpoint})", "Remove journal record"))
            {
                return;
            }

            try
            {
                _journal!.Remove(record);
                _records.Remove(id);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                WriteError(Errors.Create("DeliveryNotRemoved", ErrorCategory.WriteError, $"The journal record '{id}' could not be removed: {exception.Message}", id));
                return;
            }

            if (PassThru)
            {
                WriteObject(record);
            }
        }
    }
}
