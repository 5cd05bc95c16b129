import { useRef, type KeyboardEvent } from 'react';
import { badgeText } from './counts';
import { groupedScreens, type ScreenDef, type ScreenKey } from './screens';

interface Props {
  screens: readonly ScreenDef[];
  current: ScreenKey;
  onGo(screen: ScreenKey): void;
  /** A count shown on a tab (unread messages, conflicts to review, changes needing attention). */
  badges?: Partial<Record<ScreenKey, number>>;
}

/**
 * The screens this role may use, in sections down the left. Tab reaches each one; the arrow keys
 * (and Home/End) move along them too. A count is a badge the screen reader skips; it reads the
 * words (a hidden element) as the button's description, so the button's name stays the screen's.
 */
export function NavTabs({ screens, current, onGo, badges }: Props) {
  const refs = useRef(new Map<ScreenKey, HTMLButtonElement>());
  const groups = groupedScreens(screens);
  const order = groups.flatMap((g) => g.screens);

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, key: ScreenKey) => {
    const index = order.findIndex((s) => s.key === key);
    let to = -1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') to = (index + 1) % order.length;
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') to = (index - 1 + order.length) % order.length;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = order.length - 1;
    if (to < 0) return;
    e.preventDefault();
    const next = order[to]!.key;
    refs.current.get(next)?.focus();
    onGo(next);
  };

  return (
    <nav className="nav-side" aria-label="Screens">
      {groups.map((g) => (
        <div key={g.group} className={`nav-group nav-group-${g.group}`} role="group" aria-labelledby={g.label ? `nav-group-${g.group}` : undefined}>
          {g.label && (
            <span className="nav-group-label" id={`nav-group-${g.group}`}>
              {g.label}
            </span>
          )}
          {g.screens.map((s) => {
            const count = badges?.[s.key] ?? 0;
            const said = badgeText(s.key, count);
            return (
              <span key={s.key} className="nav-item">
                <button
                  ref={(el) => {
                    if (el) refs.current.set(s.key, el);
                    else refs.current.delete(s.key);
                  }}
                  type="button"
                  className={`nav-tab${s.key === current ? ' is-current' : ''}`}
                  aria-current={s.key === current ? 'page' : undefined}
                  aria-describedby={said ? `nav-count-${s.key}` : undefined}
                  data-testid={`nav-${s.key}`}
                  onClick={() => onGo(s.key)}
                  onKeyDown={(e) => onKeyDown(e, s.key)}
                >
                  <span className="nav-label">{s.label}</span>
                  {said && (
                    <span className="nav-badge" aria-hidden="true" data-testid={`nav-count-${s.key}`}>
                      {count > 99 ? '99+' : count.toLocaleString('en')}
                    </span>
                  )}
                </button>
                {said && (
                  <span id={`nav-count-${s.key}`} hidden>
                    {said}
                  </span>
                )}
              </span>
            );
          })}
        </div>
      ))}
    </nav>
  );
}
