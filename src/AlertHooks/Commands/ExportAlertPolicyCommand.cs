using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using AlertHooks.Completers;
using AlertHooks.Policies;
using AlertHooks.Storage;

namespace AlertHooks.Commands
{
    /// <summary>
    /// Writes policies as files for version control: one diff-friendly JSON file per policy, literal secrets replaced by
    /// <c>{{ env.… }}</c> references unless -IncludeSecret.
    /// </summary>
    [Cmdlet(VerbsData.Export, "AlertPolicy", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportAlertPolicyCommand : PSCmdlet
    {
        private const string NameSet = "Name";
        private const string InputObjectSet = "InputObject";

        private readonly Dictionary<string, string> _written = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private string _folder = string.Empty;
        private IReadOnlyList<AlertPolicy>? _registered;

        /// <summary>The folder to write into; created when missing.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        [Parameter(Position = 1, ParameterSetName = NameSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string[] Name { get; set; } = { "*" };

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public AlertPolicy[] InputObject { get; set; } = Array.Empty<AlertPolicy>();

        /// <summary>Write literal secrets into the files. Only for files that stay as private as the store.</summary>
        [Parameter]
        public SwitchParameter IncludeSecret { get; set; }

        protected override void BeginProcessing() =>
            _folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);

        protected override void ProcessRecord()
        {
            var policies = PolicyStoreAccess.Select(this, PolicyStoreAccess.Open(this), ref _registered, ParameterSetName == InputObjectSet, InputObject, Name);
            foreach (var policy in policies)
            {
                Export(policy);
            }
        }

        private void Export(AlertPolicy policy)
        {
            var fileName = PolicyFile.FileNameFor(policy.Name);
            if (_written.TryGetValue(fileName, out var other))
            {
                WriteError(Errors.Create("ExportFileNameClash", ErrorCategory.WriteError,
                    $"Policies '{other}' and '{policy.Name}' would both be written to '{fileName}'; '{policy.Name}' was not exported. Rename one of them.", policy));
                return;
            }

            var target = System.IO.Path.Combine(_folder, fileName);
            if (!ShouldProcess(target, $"Export policy '{policy.Name}'" + (IncludeSecret ? " with its secrets" : string.Empty)))
            {
                return;
            }

            var text = PolicyFile.ToExportJson(policy, IncludeSecret, out var placeholders);
            foreach (var placeholder in placeholders)
            {
                WriteWarning($"Policy '{policy.Name}': {placeholder.What} was not exported; the file reads it from {{{{ env.{placeholder.Variable} }}}}. Set $env:{placeholder.Variable} where the policy is imported or sent.");
            }

            try
            {
                if (IncludeSecret)
                {
                    StateFile.WriteAtomic(target, text);
                }
                else
                {
                    Directory.CreateDirectory(_folder);
                    File.WriteAllText(target, text, StateFile.Utf8);
                }
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(exception, "ExportFailed", ErrorCategory.WriteError, target));
                return;
            }

            _written[fileName] = policy.Name;
            WriteObject(new FileInfo(target));
        }
    }
}
