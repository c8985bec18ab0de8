using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Completers;

namespace AlertHooks.Commands
{
    /// <summary>Lists the template tokens, all of them or those some event types provide.</summary>
    [Cmdlet(VerbsCommon.Get, "AlertToken")]
    [OutputType(typeof(TokenInfo))]
    public sealed class GetAlertTokenCommand : PSCmdlet
    {
        /// <summary>Only tokens these event types provide; a policy or an event binds by property name.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("EventTypes")]
        public AlertEventType[]? EventType { get; set; }

        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TokenNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var tokens = EventType == null || EventType.Length == 0
                ? TokenCatalog.All
                : TokenCatalog.All.Where(t => t.IsGlobal || t.EventTypes.Any(EventType.Contains)).ToArray();
            if (Name == null)
            {
                WriteObject(tokens, enumerateCollection: true);
                return;
            }

            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in Name)
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                var matches = tokens.Where(t => pattern.IsMatch(t.Name)).ToArray();
                foreach (var token in matches.Where(t => written.Add(t.Name)))
                {
                    WriteObject(token);
                }

                if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(NotFound(name));
                }
            }
        }

        private ErrorRecord NotFound(string name)
        {
            var message = TokenCatalog.TryGet(name, out var token)
                ? $"Token '{token.Name}' is not available for {string.Join(", ", EventType!)} events; it comes with {string.Join(", ", token.EventTypes)}."
                : $"'{name}' is not a known token. Run Get-AlertToken to list the tokens.";
            return Errors.Create("TokenNotFound", ErrorCategory.ObjectNotFound, message, name);
        }
    }
}
