/**
 * Ids are opaque bytes on the wire too: a URL path segment is percent-decoded
 * straight to bytes (never through decodeURIComponent, which rejects or
 * replaces invalid UTF-8), and every byte outside RFC 3986's unreserved set
 * is percent-encoded on the way out, so any id round-trips.
 */

const HEX = '0123456789ABCDEF';

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e
  );
}

/** The id as one URL path segment: unreserved bytes as they are, every other byte as %XX. */
export function encodeId(id: Buffer): string {
  let out = '';
  for (const b of id) out += isUnreserved(b) ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** A raw path segment (as sent, ASCII) to the id's bytes; null when a `%` is not followed by two hex digits. */
export function decodeSegment(segment: string): Buffer | null {
  const raw = Buffer.from(segment, 'latin1');
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b !== 0x25) {
      out[n++] = b;
      continue;
    }
    const hi = i + 2 < raw.length ? hexValue(raw[i + 1]) : -1;
    const lo = hi === -1 ? -1 : hexValue(raw[i + 2]);
    if (lo === -1) return null;
    out[n++] = (hi << 4) | lo;
    i += 2;
  }
  return out.subarray(0, n);
}

/** A query parameter's value as text (`+` is a space in forms); invalid UTF-8 becomes U+FFFD. */
export function decodeQueryText(value: string): string {
  const bytes = decodeSegment(value.replace(/\+/g, ' '));
  return bytes === null ? value : bytes.toString('utf8');
}

/** Whether the bytes are valid UTF-8 (so a JSON string carries them exactly). */
export function isUtf8(id: Buffer): boolean {
  // Decoding replaces every invalid sequence with U+FFFD, so an exact re-encoding means valid.
  return Buffer.from(id.toString('utf8'), 'utf8').equals(id);
}

/**
 * An id's JSON fields: `{KEY: text}` for UTF-8 ids; for other bytes, the text
 * (with U+FFFD for invalid bytes, to show) and `KEY_url`, the exact bytes
 * percent-encoded, to use in URLs.
 */
export function idJsonFields(key: string, id: Buffer): string {
  const text = JSON.stringify(id.toString('utf8'));
  return isUtf8(id) ? `"${key}":${text}` : `"${key}":${text},"${key}_url":${JSON.stringify(encodeId(id))}`;
}
