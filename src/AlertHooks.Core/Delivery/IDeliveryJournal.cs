using System.Threading.Tasks;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// The outbox: told about a delivery before its first attempt and after its last, so that a killed
    /// process leaves a Pending record and an undeliverable alert a Failed one, both replayable.
    /// </summary>
    public interface IDeliveryJournal
    {
        /// <summary>Journals a delivery before its first attempt; the delivery starts once this completes.</summary>
        Task BeginAsync(DeliveryRequest request);

        /// <summary>Journals a delivery after its last attempt; its result is reported once this completes.</summary>
        Task CompleteAsync(DeliveryRequest request, DeliveryResult result);
    }

    /// <summary>A journal that keeps nothing, for callers that opt out.</summary>
    public sealed class NullDeliveryJournal : IDeliveryJournal
    {
        public static NullDeliveryJournal Instance { get; } = new NullDeliveryJournal();

        public Task BeginAsync(DeliveryRequest request) => Task.CompletedTask;

        public Task CompleteAsync(DeliveryRequest request, DeliveryResult result) => Task.CompletedTask;
    }
}
