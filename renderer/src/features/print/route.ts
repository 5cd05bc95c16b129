import { useSyncExternalStore } from 'react';

/** A page to print, addressed by the location's hash so Back returns to where it was opened. */
export type PrintRoute =
  | { kind: 'receipt'; paymentId: string }
  | { kind: 'statement'; studentId: string }
  | { kind: 'report-card'; studentId: string; term: string }
  | { kind: 'class-report-cards'; classId: string; term: string };

const PATTERN = /^#\/print\/(receipt|statement)\/([0-9a-fA-F-]{36})$/;
/** Report cards name their term too (encoded: terms have spaces). */
const TERM_PATTERN = /^#\/print\/(report-card|class-report-cards)\/([0-9a-fA-F-]{36})\/([^/]+)$/;

/** `#/print/receipt/<paymentId>` or `#/print/statement/<studentId>`; anything else is no print page. */
export function parsePrintHash(hash: string): PrintRoute | null {
  const t = TERM_PATTERN.exec(hash);
  if (t) {
    let term: string;
    try {
      term = decodeURIComponent(t[3]!);
    } catch {
      return null;
    }
    return t[1] === 'report-card' ? { kind: 'report-card', studentId: t[2]!, term } : { kind: 'class-report-cards', classId: t[2]!, term };
  }
  const m = PATTERN.exec(hash);
  if (!m) return null;
  return m[1] === 'receipt' ? { kind: 'receipt', paymentId: m[2]! } : { kind: 'statement', studentId: m[2]! };
}

export function printHash(route: PrintRoute): string {
  if (route.kind === 'report-card') return `#/print/report-card/${route.studentId}/${encodeURIComponent(route.term)}`;
  if (route.kind === 'class-report-cards') return `#/print/class-report-cards/${route.classId}/${encodeURIComponent(route.term)}`;
  return route.kind === 'receipt' ? `#/print/receipt/${route.paymentId}` : `#/print/statement/${route.studentId}`;
}

/** Opened from a screen of the app (not typed or reloaded): closing goes back to that screen. */
let openedHere = false;

export function openPrint(route: PrintRoute): void {
  openedHere = true;
  window.location.hash = printHash(route);
}

export function closePrint(): void {
  if (openedHere) {
    openedHere = false;
    window.history.back();
  } else {
    window.location.hash = '';
  }
}

/** Going to a screen by its tab while a print page is open: the page gives way to the screen. */
export function leavePrint(): void {
  if (parsePrintHash(window.location.hash)) {
    openedHere = false;
    window.location.hash = '';
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The print page the location asks for, or null for the app's screens. */
export function usePrintRoute(): PrintRoute | null {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parsePrintHash(hash);
}
