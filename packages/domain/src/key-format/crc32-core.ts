/**
 * The CRC-32 engine shared by `crc32` and the key parser. Internal: not re-exported from the
 * package index, so its range-based entry point can stay allocation-free without widening the
 * public API.
 */

/** The reflected IEEE 802.3 polynomial (the CRC-32 of zlib, PNG, Ethernet). */
const IEEE_POLYNOMIAL = 0xedb88320;

const CRC32_TABLE = buildTable(IEEE_POLYNOMIAL);

function buildTable(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
}

/** The register before any byte (and the final XOR). */
export const CRC32_INITIAL = 0xffffffff;

/** Feeds one byte into a running CRC-32 register. */
export function updateCrc32(crc: number, byte: number): number {
  return (crc >>> 8) ^ (CRC32_TABLE[(crc ^ byte) & 0xff] ?? 0);
}

/**
 * CRC-32 of `s.slice(start, end)` when those characters are all ASCII (one UTF-8 byte each),
 * without slicing. The key parser calls it only after checking the characters.
 */
export function crc32OfAsciiRange(s: string, start: number, end: number): number {
  let crc = CRC32_INITIAL;
  for (let i = start; i < end; i++) crc = updateCrc32(crc, s.charCodeAt(i));
  return (crc ^ CRC32_INITIAL) >>> 0;
}
