import { z } from 'zod';
import type { MethodTable } from './access.js';
import { StudentFilter, StudentsListInput, StudentsListOutput, StudentListItem } from '../domain/students.js';
import { ClassFields, SubjectFields } from '../domain/classes.js';
import {
  BulkChange,
  BulkResult,
  BulkTarget,
  ClassDetail,
  ClassesList,
  ClassView,
  GuardianMatch,
  LinkGuardianInput,
  PromoteTarget,
  PromotionPlan,
  PromotionResult,
  SaveStudentInput,
  StaffDirectoryEntry,
  StudentProfile,
  SubjectView,
} from '../domain/student-views.js';

const Empty = z.object({}).strict();

/** Students, guardians, classes, subjects, enrolment, promotion, search and bulk changes (issue 5). */
export const studentsApi = {
  'students.list': { access: 'students.view', input: StudentsListInput, output: StudentsListOutput },
  'students.count': { access: 'students.view', input: StudentFilter, output: z.object({ count: z.int().nonnegative() }) },
  'students.get': { access: 'students.view', input: z.object({ id: z.uuid() }), output: StudentListItem },
  'students.profile': { access: 'students.view', input: z.object({ id: z.uuid() }), output: StudentProfile },
  /** Creates a student (no id) or saves the whole profile form; only changed fields are sent on. */
  'students.save': { access: 'students.update', input: SaveStudentInput, output: StudentProfile },
  /** Moves the selected (or all matching) students to a class, or changes their status. */
  'students.bulkChange': { access: 'students.update', input: z.object({ target: BulkTarget, change: BulkChange }), output: BulkResult },

  'guardians.search': {
    access: 'students.view',
    input: z.object({ search: z.string().trim().max(100), limit: z.int().min(1).max(50).default(20) }),
    output: z.object({ rows: z.array(GuardianMatch) }),
  },
  'guardians.link': { access: 'students.update', input: LinkGuardianInput, output: StudentProfile },
  'guardians.unlink': { access: 'students.update', input: z.object({ studentId: z.uuid(), guardianId: z.uuid() }), output: StudentProfile },

  'classes.list': { access: 'students.view', input: z.object({ year: z.int().min(2000).max(2100).optional() }), output: ClassesList },
  'classes.get': { access: 'students.view', input: z.object({ id: z.uuid() }), output: ClassDetail },
  'classes.save': { access: 'classes.manage', input: z.object({ id: z.uuid().optional(), values: ClassFields }), output: ClassView },
  'classes.promotionPlan': { access: 'classes.manage', input: z.object({ classId: z.uuid() }), output: PromotionPlan },
  'classes.promote': { access: 'classes.manage', input: z.object({ classId: z.uuid(), to: PromoteTarget }), output: PromotionResult },
  'classes.saveSubject': {
    access: 'classes.manage',
    input: z.object({ classId: z.uuid(), subjectId: z.uuid({ error: 'Choose a subject.' }), teacherId: z.uuid().nullable(), compulsory: z.boolean(), remove: z.boolean().default(false) }),
    output: ClassDetail,
  },
  /** The students of a class taking one of its optional subjects. */
  'classes.subjectStudents': { access: 'students.view', input: z.object({ classSubjectId: z.uuid() }), output: z.object({ studentIds: z.array(z.string()) }) },
  'classes.enrolSubject': {
    access: 'students.update',
    input: z.object({ classSubjectId: z.uuid(), studentIds: z.array(z.uuid()).min(1, { error: 'Choose at least one student.' }).max(500), enrolled: z.boolean() }),
    output: z.object({ changed: z.int().nonnegative() }),
  },

  'subjects.list': { access: 'students.view', input: Empty, output: z.object({ subjects: z.array(SubjectView) }) },
  'subjects.save': { access: 'classes.manage', input: z.object({ id: z.uuid().optional(), values: SubjectFields }), output: SubjectView },

  /** Active staff for pickers (class and subject teachers, message recipients). */
  'staff.directory': { access: 'signed-in', input: Empty, output: z.object({ staff: z.array(StaffDirectoryEntry) }) },
} as const satisfies MethodTable;
