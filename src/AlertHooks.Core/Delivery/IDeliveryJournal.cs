namespace AlertHooks.Delivery
{
    /// <summary>
    /// The outbox: told about a delivery before its first attempt and after its last, so that a killed
    /// process leaves a Pending record and an undeliverable alert a Failed one, both replayable.
    /// </summary>
    public interface IDeliveryJournal
    {
        void Begin(DeliveryRequest request);

        void Complete(DeliveryRequest request, DeliveryResult result);
    }

    /// <summary>A journal that keeps nothing, for callers that opt out.</summary>
    public sealed class NullDeliveryJournal : IDeliveryJournal
    {
        public static NullDeliveryJournal Instance { get; } = new NullDeliveryJournal();

        public void Begin(DeliveryRequest request)
        {
        }

        public void Complete(DeliveryRequest request, DeliveryResult result)
        {
        }
    }
}
