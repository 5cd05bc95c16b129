import type { PaymentMethod } from '../../../shared/domain/payments.js';

// Payment references as they look on the slips and messages the bursar copies them from, each
// issued once (a reference repeated would be flagged as a duplicate).

const CODE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

const draw = (next: () => number, chars: string, n: number) => Array.from({ length: n }, () => chars[Math.floor(next() * chars.length)]).join('');

function candidate(method: PaymentMethod, date: string, next: () => number): string | null {
  switch (method) {
    // An M-Pesa transaction code: ten characters, this season's starting "QK7".
    case 'mobile_money':
      return `QK7${draw(next, CODE_CHARS, 7)}`;
    case 'bank_transfer':
      return `FT${date.slice(2).replaceAll('-', '')}${draw(next, '0123456789', 4)}`;
    case 'cheque':
      return `00${draw(next, '0123456789', 4)}`;
    default:
      return null;
  }
}

export class ReferenceBook {
  readonly #used = new Set<string>();

  /** A new reference for a payment by `method` on `date`, or null for cash. */
  issue(method: PaymentMethod, date: string, next: () => number): string | null {
    for (;;) {
      const ref = candidate(method, date, next);
      if (ref === null) return null;
      if (!this.#used.has(`${method} ${ref}`)) {
        this.#used.add(`${method} ${ref}`);
        return ref;
      }
    }
  }
}
