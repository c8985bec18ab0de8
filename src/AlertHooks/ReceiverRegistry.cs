using System.Collections.Generic;

namespace AlertHooks.Commands
{
    /// <summary>The receivers started in this session, so that Stop-AlertReceiver alone stops them all.</summary>
    internal static class ReceiverRegistry
    {
        private static readonly List<AlertReceiver> Receivers = new List<AlertReceiver>();

        public static void Add(AlertReceiver receiver)
        {
            lock (Receivers)
            {
                Receivers.Add(receiver);
            }
        }

        public static void Remove(AlertReceiver receiver)
        {
            lock (Receivers)
            {
                Receivers.Remove(receiver);
            }
        }

        public static AlertReceiver[] All()
        {
            lock (Receivers)
            {
                return Receivers.ToArray();
            }
        }
    }
}
