using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Policies;

namespace AlertHooks.Commands
{
    /// <summary>Reading policy files for Import- and Sync-AlertPolicy: one error per bad file, warnings with the file name.</summary>
    internal static class PolicyFolder
    {
        /// <summary>The documents that are valid; every invalid file, and every name given twice, is a written error.</summary>
        public static List<PolicyDocument> Read(PSCmdlet cmdlet, IEnumerable<string> paths) => Read(cmdlet, paths, out _);

        public static List<PolicyDocument> Read(PSCmdlet cmdlet, IEnumerable<string> paths, out int failures)
        {
            failures = 0;
            var documents = new List<PolicyDocument>();
            foreach (var file in Files(cmdlet, paths, ref failures))
            {
                try
                {
                    var document = PolicyFile.Read(file);
                    var twin = documents.FirstOrDefault(d => string.Equals(d.Policy.Name, document.Policy.Name, StringComparison.OrdinalIgnoreCase));
                    if (twin != null)
                    {
                        throw new PolicyFileException(file, $"defines the policy '{document.Policy.Name}', which '{twin.Path}' defines too.", "PolicyNameDuplicate");
                    }

                    NewAlertPolicyCommand.WriteWarnings(cmdlet, file, document.Warnings);
                    documents.Add(document);
                }
                catch (PolicyFileException exception)
                {
                    failures++;
                    cmdlet.WriteError(Errors.From(exception, file));
                }
            }

            return documents;
        }

        private static IEnumerable<string> Files(PSCmdlet cmdlet, IEnumerable<string> paths, ref int failures)
        {
            var files = new List<string>();
            foreach (var path in paths)
            {
                var full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                if (Directory.Exists(full))
                {
                    files.AddRange(Directory.GetFiles(full, "*.json").OrderBy(f => f, StringComparer.Ordinal));
                }
                else if (File.Exists(full))
                {
                    files.Add(full);
                }
                else
                {
                    failures++;
                    cmdlet.WriteError(Errors.Create("PolicyPathNotFound", ErrorCategory.ObjectNotFound, $"'{full}' is neither a policy file nor a folder.", path));
                }
            }

            return files;
        }
    }
}
