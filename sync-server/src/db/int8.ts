/** Parses a PostgreSQL int8 to a JS number, refusing values a number cannot hold exactly:
 * silently rounding a sequence number or an amount would corrupt sync or money. */
export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`int8 value ${value} is beyond Number.MAX_SAFE_INTEGER and cannot be read exactly`);
  }
  return n;
}

export const INT8_OID = 20;
