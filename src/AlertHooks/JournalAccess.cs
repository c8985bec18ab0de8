using System;
using System.IO;
using System.Management.Automation;
using AlertHooks.Delivery;

namespace AlertHooks.Commands
{
    /// <summary>The one place the cmdlets open the delivery journal, at the location the configuration names.</summary>
    internal static class JournalAccess
    {
        /// <summary>The saved configuration; a broken config.json falls back to the defaults, as sending does.</summary>
        public static Configuration Configuration()
        {
            try
            {
                return AlertHooks.Configuration.Load();
            }
            catch (InvalidDataException)
            {
                return new Configuration();
            }
        }

        /// <summary>The journal for reading and removing records; throws what the file system throws.</summary>
        public static FileDeliveryJournal Open() => DeliveryJournals.Open(Configuration());

        /// <summary>
        /// The journal every send goes through. An unusable journal must not stop alerts going out, so it is
        /// reported as a warning and the sends go on unjournaled.
        /// </summary>
        public static IDeliveryJournal OpenForSending(PSCmdlet cmdlet)
        {
            try
            {
                return Open();
            }
            catch (Exception exception) when (IsJournalFailure(exception))
            {
                cmdlet.WriteWarning($"The delivery journal cannot be opened, so alerts are sent without it: {exception.Message}");
                return NullDeliveryJournal.Instance;
            }
        }

        /// <summary>Runs a journal write; a failure is a warning, because the alert itself still goes out.</summary>
        public static void Record(PSCmdlet cmdlet, Action write)
        {
            try
            {
                write();
            }
            catch (Exception exception) when (IsJournalFailure(exception))
            {
                cmdlet.WriteWarning($"The delivery could not be journaled: {exception.Message}");
            }
        }

        private static bool IsJournalFailure(Exception exception) =>
            exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException || exception is NotSupportedException;
    }
}
