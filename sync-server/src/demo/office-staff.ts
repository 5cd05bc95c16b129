import { DEMO_STAFF } from './demo-school.js';
import { stableUuid } from './prng.js';

// The demo school's teaching staff: the documented demo teacher (Mary Achieng) and six
// colleagues, so every class has a class teacher and every subject a teacher. The colleagues
// sign in with the demo teacher's password (demo only).

export interface DemoTeacher {
  id: string;
  username: string;
  displayName: string;
}

const colleague = (username: string, displayName: string): DemoTeacher => ({ id: stableUuid('demo', 'teacher', username), username, displayName });

export const DEMO_TEACHERS: readonly DemoTeacher[] = [
  { id: DEMO_STAFF.teacher.id, username: DEMO_STAFF.teacher.username, displayName: DEMO_STAFF.teacher.displayName },
  colleague('kiprop', 'Samuel Kiprop'),
  colleague('njeri', 'Faith Njeri'),
  colleague('juma', 'Hassan Juma'),
  colleague('wambui', 'Lucy Wambui'),
  colleague('mutua', 'Daniel Mutua'),
  colleague('rehema', 'Rehema Salim'),
];

/** The teachers the seed adds (Mary Achieng is one of DEMO_STAFF). */
export const DEMO_TEACHER_COLLEAGUES = DEMO_TEACHERS.slice(1);
export const DEMO_TEACHER_PASSWORD = DEMO_STAFF.teacher.password;
