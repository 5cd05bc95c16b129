import { useRef, type KeyboardEvent } from 'react';
import type { ScreenDef, ScreenKey } from './screens';

interface Props {
  screens: readonly ScreenDef[];
  current: ScreenKey;
  onGo(screen: ScreenKey): void;
  /** A count shown on a tab (e.g. how many changes need attention). */
  badges?: Partial<Record<ScreenKey, number>>;
}

/** The screens this role may use, as tabs. Tab reaches each one; arrows move along them too. */
export function NavTabs({ screens, current, onGo, badges }: Props) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let to = -1;
    if (e.key === 'ArrowRight') to = (index + 1) % screens.length;
    else if (e.key === 'ArrowLeft') to = (index - 1 + screens.length) % screens.length;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = screens.length - 1;
    if (to < 0) return;
    e.preventDefault();
    refs.current[to]?.focus();
    onGo(screens[to]!.key);
  };

  return (
    <nav className="nav-tabs" aria-label="Screens">
      {screens.map((s, i) => (
        <button
          key={s.key}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          className={`nav-tab ${s.key === current ? 'is-current' : ''}`}
          aria-current={s.key === current ? 'page' : undefined}
          data-testid={`nav-${s.key}`}
          onClick={() => onGo(s.key)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {s.label}
          {badges?.[s.key] ? (
            <>
              {' '}
              <span className="nav-badge">{badges[s.key]}</span>
            </>
          ) : null}
        </button>
      ))}
    </nav>
  );
}
