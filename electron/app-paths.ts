import { join } from 'node:path';

/**
 * Where this user's database lives: the per-user LOCAL (not roaming) application data folder,
 * so a school's data never roams with a domain profile onto other lab machines.
 */
export function localDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Schoolhouse');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Schoolhouse');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'schoolhouse');
}
