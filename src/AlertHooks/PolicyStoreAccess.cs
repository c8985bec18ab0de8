using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Policies;

namespace AlertHooks.Commands
{
    /// <summary>What the store cmdlets share: load with one error per broken file, and find policies by name.</summary>
    internal static class PolicyStoreAccess
    {
        /// <summary>The store of the saved configuration; a config.json that cannot be read stops the cmdlet, naming it.</summary>
        public static PolicyStore Open(Cmdlet cmdlet)
        {
            try
            {
                return PolicyStore.Open();
            }
            catch (InvalidDataException exception)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(exception, "ConfigurationInvalid", ErrorCategory.InvalidData, null));
                throw;
            }
        }

        /// <summary>Every policy that loads; each file that does not becomes a non-terminating error naming it.</summary>
        public static IReadOnlyList<AlertPolicy> Load(Cmdlet cmdlet, PolicyStore store)
        {
            var result = store.Load();
            foreach (var error in result.Errors)
            {
                cmdlet.WriteError(Errors.From(error, error.Path));
            }

            return result.Policies;
        }

        /// <summary>
        /// The policies whose names match any of <paramref name="names"/> (wildcards allowed), in store order; a plain
        /// name that matches nothing is a <c>PolicyNotFound</c> error, as Get-Item does for a missing path.
        /// </summary>
        public static List<AlertPolicy> ByName(Cmdlet cmdlet, IReadOnlyList<AlertPolicy> policies, IEnumerable<string> names)
        {
            var found = new List<AlertPolicy>();
            foreach (var name in names)
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                var matches = policies.Where(p => pattern.IsMatch(p.Name)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    cmdlet.WriteError(NotFound(name));
                }

                found.AddRange(matches.Where(m => !found.Contains(m)));
            }

            return found;
        }

        /// <summary>The policies a cmdlet works on: those piped in, else the registered ones matching -Name (the store is read once).</summary>
        public static IEnumerable<AlertPolicy> Select(Cmdlet cmdlet, PolicyStore store, ref IReadOnlyList<AlertPolicy>? registered,
            bool piped, AlertPolicy[] inputObject, string[] names)
        {
            if (piped)
            {
                return inputObject;
            }

            registered ??= Load(cmdlet, store);
            return ByName(cmdlet, registered, names);
        }

        public static ErrorRecord NotFound(string name) =>
            Errors.Create("PolicyNotFound", ErrorCategory.ObjectNotFound,
                $"No policy named '{name}' is registered. Run Get-AlertPolicy to list the registered policies.", name);
    }
}
