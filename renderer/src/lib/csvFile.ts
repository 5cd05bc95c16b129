import { useEffect, useRef, type ChangeEvent } from 'react';
import { AppError } from '../../../shared/api/errors';

/**
 * The file just chosen in a hidden file input, with a name to show (at most 200 characters). The
 * input is cleared, so choosing the same file again (after fixing it) is a new choice.
 */
export function takeChosenFile(e: ChangeEvent<HTMLInputElement>, fallbackName: string): { file: File; fileName: string } | null {
  const file = e.target.files?.[0];
  e.target.value = '';
  if (!file) return null;
  return { file, fileName: file.name.slice(0, 200) || fallbackName };
}

/** The file's text, refused before anything is checked when it is longer than `maxChars`. */
export async function readCsvText(file: File, fileName: string, decode: (bytes: ArrayBuffer) => string, maxChars: number, sizeWords: string): Promise<string> {
  const csv = decode(await file.arrayBuffer());
  if (csv.length > maxChars) throw new AppError('invalid_input', `${fileName} is larger than ${sizeWords}. Split it into smaller files and import each.`);
  return csv;
}

/** A stop flag for a long import: set by "Stop after this part", and when the screen is left
 * (the part under way finishes; what it saved stays). */
export function useStopFlag() {
  const stop = useRef(false);
  useEffect(
    () => () => {
      stop.current = true;
    },
    [],
  );
  return stop;
}
