using System;
using System.Text;
using System.Threading.Tasks;
using Fluid;

namespace AlertHooks.Templates
{
    /// <summary>
    /// A Fluid output that writes everything it is given as the inside of a JSON string, straight into the body
    /// being built: one pass, no intermediate string per leaf. A high surrogate at the end of one write waits for
    /// the next, so a pair split across writes still travels as a pair.
    /// </summary>
    internal sealed class JsonStringOutput : IFluidOutput
    {
        private readonly StringBuilder _builder;
        private char _pendingHigh;
        private char[] _buffer = Array.Empty<char>();

        public JsonStringOutput(StringBuilder builder) => _builder = builder;

        public void Write(string value) => Append(value, 0, value.Length);

        public void Write(char[] buffer, int index, int count) => Append(new string(buffer, index, count), 0, count);

        public ValueTask FlushAsync() => default;

        // Fluid may also write through the IBufferWriter side: hand out a scratch buffer and escape what lands in it.
        public Span<char> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

        public Memory<char> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public void Advance(int count) => Append(new string(_buffer, 0, count), 0, count);

        private char[] Scratch(int sizeHint)
        {
            var size = Math.Max(sizeHint, 256);
            if (_buffer.Length < size)
            {
                _buffer = new char[size];
            }

            return _buffer;
        }

        /// <summary>Ends the leaf: a high surrogate still waiting has no partner.</summary>
        public void Complete()
        {
            if (_pendingHigh != '\0')
            {
                _builder.Append('\uFFFD');
                _pendingHigh = '\0';
            }
        }

        private void Append(string value, int start, int count)
        {
            if (count == 0)
            {
                return;
            }

            if (_pendingHigh != '\0')
            {
                var high = _pendingHigh;
                _pendingHigh = '\0';
                if (char.IsLowSurrogate(value[start]))
                {
                    _builder.Append(high).Append(value[start]);
                    start++;
                    count--;
                }
                else
                {
                    _builder.Append('\uFFFD');
                }
            }

            if (count > 0 && char.IsHighSurrogate(value[start + count - 1]))
            {
                _pendingHigh = value[start + count - 1];
                count--;
            }

            JsonText.AppendEscaped(_builder, start == 0 && count == value.Length ? value : value.Substring(start, count));
        }
    }
}
