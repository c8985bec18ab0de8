using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// Standard Webhooks signatures: <c>webhook-signature: v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))</c>,
    /// the key being the base64 part of a <c>whsec_…</c> secret.
    /// </summary>
    public static class WebhookSigner
    {
        private const string Prefix = "whsec_";

        public static string Sign(string secret, string webhookId, long timestamp, string body)
        {
            using (var hmac = new HMACSHA256(KeyOf(secret)))
            {
                var signed = webhookId + "." + timestamp.ToString(CultureInfo.InvariantCulture) + "." + body;
                return "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(signed)));
            }
        }

        /// <summary>Refuses a secret that is not base64 (with or without <c>whsec_</c>) before anything is sent; never shows it.</summary>
        public static void Validate(string secret)
        {
            try
            {
                if (KeyOf(secret).Length == 0)
                {
                    throw new FormatException();
                }
            }
            catch (FormatException)
            {
                throw new DeliveryValidationException("InvalidSigningSecret",
                    "The signing secret is not a Standard Webhooks secret: expected 'whsec_' followed by base64.");
            }
        }

        private static byte[] KeyOf(string secret) =>
            Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret.Substring(Prefix.Length) : secret);
    }
}
