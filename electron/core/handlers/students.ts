import type { Handlers } from '../../../shared/api/contract.js';
import { countStudents, getStudent, listStudents } from '../queries/students.js';
import type { CoreContext } from './context.js';

export function studentHandlers({ store }: CoreContext): Pick<Handlers, 'students.list' | 'students.count' | 'students.get'> {
  return {
    'students.list': ({ after, limit, ...filter }) => listStudents(store.db, filter, after, limit),
    'students.count': async (filter) => ({ count: await countStudents(store.db, filter) }),
    'students.get': ({ id }) => getStudent(store.db, id),
  };
}
