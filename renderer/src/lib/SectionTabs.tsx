import { useRef, type KeyboardEvent } from 'react';

export interface SectionTab<K extends string> {
  key: K;
  label: string;
}

interface Props<K extends string> {
  /** What the row of sections is, for screen readers ("Bursary sections"). */
  label: string;
  tabs: readonly SectionTab<K>[];
  current: K;
  onGo(key: NoInfer<K>): void;
  /** Each button's test id is this followed by its key. */
  testIdPrefix: string;
}

/** A screen's sections as a row of pill buttons; the arrow keys move along them like the main tabs. */
export function SectionTabs<K extends string>({ label, tabs, current, onGo, testIdPrefix }: Props<K>) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const to = e.key === 'ArrowRight' ? (index + 1) % tabs.length : e.key === 'ArrowLeft' ? (index - 1 + tabs.length) % tabs.length : -1;
    if (to < 0) return;
    e.preventDefault();
    refs.current[to]?.focus();
    onGo(tabs[to]!.key);
  };
  return (
    <nav className="section-nav" aria-label={label}>
      {tabs.map((t, i) => (
        <button
          key={t.key}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          className={`section-tab${t.key === current ? ' is-current' : ''}`}
          aria-current={t.key === current ? 'page' : undefined}
          data-testid={`${testIdPrefix}${t.key}`}
          onClick={() => onGo(t.key)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {t.label}
        </button>
      ))}
    </nav>
  );
}
