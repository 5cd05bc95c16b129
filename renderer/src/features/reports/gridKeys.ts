import { scoreProblem } from '../../../../shared/domain/report-card-math';

// The scores grid moves like a spreadsheet. Pure, so its behaviour is tested without a window.

export interface Cell {
  row: number;
  col: number;
}

export interface GridKey {
  key: string;
  shift: boolean;
  /** Where the caret is in the cell's text: left/right arrows leave the cell only at its edge. */
  atStart: boolean;
  atEnd: boolean;
}

/**
 * The cell a key moves to, or null when the key is the cell's own (typing, arrows inside the
 * text) or would leave the grid (Tab past the last cell goes on to the Save button).
 * Enter goes down and Shift+Enter up; Tab goes right then to the next row's first cell.
 */
export function nextCell(at: Cell, k: GridKey, rows: number, cols: number): Cell | null {
  const clamp = (row: number, col: number): Cell | null => (row < 0 || row >= rows || col < 0 || col >= cols ? null : { row, col });
  switch (k.key) {
    case 'Enter':
      return clamp(at.row + (k.shift ? -1 : 1), at.col);
    case 'ArrowDown':
      return clamp(at.row + 1, at.col);
    case 'ArrowUp':
      return clamp(at.row - 1, at.col);
    case 'ArrowRight':
      return k.atEnd ? clamp(at.row, at.col + 1) : null;
    case 'ArrowLeft':
      return k.atStart ? clamp(at.row, at.col - 1) : null;
    case 'Tab': {
      const index = at.row * cols + at.col + (k.shift ? -1 : 1);
      return index < 0 || index >= rows * cols ? null : { row: Math.floor(index / cols), col: index % cols };
    }
    default:
      return null;
  }
}

/** Text pasted from a spreadsheet as rows of cells (tab between cells, a line per row). */
export function pastedCells(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines.map((l) => l.split('\t'));
}

export type ReadScore = { ok: true; score: number | null } | { ok: false; problem: string };

/** A cell's text as a mark: blank is "not sat"; a decimal comma is read as a point (37,5). */
export function readScore(text: string, maxScore: number): ReadScore {
  const t = text.trim().replace(',', '.');
  if (t === '') return { ok: true, score: null };
  if (!/^-?\d+(\.\d+)?$/.test(t)) return { ok: false, problem: `"${text.trim()}" is not a mark. Type a number, or leave it blank if not sat.` };
  const score = Number(t);
  const problem = scoreProblem(score, maxScore);
  return problem ? { ok: false, problem: `${problem[0]!.toUpperCase()}${problem.slice(1)}.` } : { ok: true, score };
}

/** How a stored mark is typed back into its cell. */
export function scoreText(score: number | null | undefined): string {
  return score === null || score === undefined ? '' : String(score);
}
