import type { Handlers } from '../../../shared/api/contract.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { countStudents, getStudent, listStudents, studentProfile } from '../queries/students.js';
import { searchGuardians } from '../queries/guardians.js';
import { classDetail, getClass, listClasses, listSubjects, studentsTaking } from '../queries/classes.js';
import { staffDirectory } from '../queries/staff-directory.js';
import { bulkChangeStudents, saveStudent } from '../commands/students.js';
import { linkGuardian, unlinkGuardian } from '../commands/guardians.js';
import { enrolInSubject, saveClass, saveClassSubject, saveSubject } from '../commands/classes.js';
import { promoteClass, promotionPlan } from '../commands/promotion.js';
import type { studentsApi } from '../../../shared/api/students-api.js';
import { signedIn, type CoreContext } from './context.js';

export function studentHandlers({ store, device }: CoreContext): Pick<Handlers, keyof typeof studentsApi> {
  const db = store.db;
  const today = () => schoolDate(new Date(), device.time_zone);
  return {
    'students.list': ({ after, limit, ...filter }) => listStudents(db, filter, after, limit),
    'students.count': async (filter) => ({ count: await countStudents(db, filter) }),
    'students.get': ({ id }) => getStudent(db, id),
    'students.profile': ({ id }) => studentProfile(db, id),
    'students.save': async (input, user) => studentProfile(db, await saveStudent(db, signedIn(user), today(), input)),
    'students.bulkChange': ({ target, change }, user) => bulkChangeStudents(db, signedIn(user), target, change),

    'guardians.search': async ({ search, limit }) => ({ rows: await searchGuardians(db, search, limit) }),
    'guardians.link': async (input, user) => {
      await linkGuardian(db, signedIn(user), input);
      return studentProfile(db, input.studentId);
    },
    'guardians.unlink': async ({ studentId, guardianId }, user) => {
      await unlinkGuardian(db, signedIn(user), studentId, guardianId);
      return studentProfile(db, studentId);
    },

    'classes.list': ({ year }) => listClasses(db, year, Number(today().slice(0, 4))),
    'classes.get': ({ id }) => classDetail(db, id),
    'classes.save': async (input, user) => getClass(db, await saveClass(db, signedIn(user), input)),
    'classes.promotionPlan': ({ classId }) => promotionPlan(db, classId),
    'classes.promote': ({ classId, to }, user) => promoteClass(db, signedIn(user), classId, to),
    'classes.saveSubject': async (input, user) => {
      await saveClassSubject(db, signedIn(user), input);
      return classDetail(db, input.classId);
    },
    'classes.subjectStudents': async ({ classSubjectId }) => ({ studentIds: await studentsTaking(db, classSubjectId) }),
    'classes.enrolSubject': async ({ classSubjectId, studentIds, enrolled }, user) => ({ changed: await enrolInSubject(db, signedIn(user), classSubjectId, studentIds, enrolled) }),

    'subjects.list': async () => ({ subjects: await listSubjects(db) }),
    'subjects.save': async (input, user) => {
      const id = await saveSubject(db, signedIn(user), input);
      return (await listSubjects(db)).find((s) => s.id === id)!;
    },

    'staff.directory': async () => ({ staff: await staffDirectory(db) }),
  };
}
