import type { GuardianRow, StudentGuardianRow, StudentRow } from '../../../shared/domain/students.js';
import { guardianPhones, studentGuardianId } from '../../../shared/domain/students.js';
import { EMPTY_META } from '../../../shared/domain/records.js';
import { EITHER_NAMES, FEMALE_NAMES, FIRST_NAMES } from './names.js';
import { demoClassNamed } from './office-classes.js';
import { mulberry32, stableUuid } from './prng.js';

// The demo's families: each student's guardians (one or two, one of whom pays the fees), with
// about one family in seven sending two or three children who share them, and the profile
// fields a registrar fills in (gender, date of birth, a middle name, a few medical notes).
// Planned from the students alone, so a second seed plans exactly what the first one wrote.

/** What the plans need of a student (as generated, or as stored by an earlier seed). */
export type DemoStudentBase = Pick<StudentRow, 'id' | 'admission_no' | 'first_name' | 'last_name' | 'class_name' | 'status'>;

const RECORD = { deleted: false, meta: EMPTY_META } as const;
/** The share of families with two or three children in the school. */
const SIBLING_FAMILIES = 0.15;

type Kin = 'Mother' | 'Father' | 'Grandmother' | 'Aunt' | 'Uncle';
const FEMALE_KIN: ReadonlySet<Kin> = new Set(['Mother', 'Grandmother', 'Aunt']);
/** Who a one-guardian family's guardian is, with how often. */
const SOLE_GUARDIAN: readonly [Kin, number][] = [['Mother', 0.5], ['Father', 0.2], ['Grandmother', 0.15], ['Aunt', 0.1], ['Uncle', 0.05]];

const MEDICAL_NOTES = [
  'Asthma: inhaler kept in the office.',
  'Allergic to peanuts.',
  'Wears glasses; sits near the board.',
  'Epilepsy: see the school nurse for the care plan.',
];

export interface DemoFamilies {
  guardians: GuardianRow[];
  links: StudentGuardianRow[];
  /** students.guardian_phone for each student, as guardianPhones() derives it. */
  phones: Map<string, string | null>;
}

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

function weighted<T>(next: () => number, options: readonly [T, number][]): T {
  let roll = next();
  for (const [value, weight] of options) {
    if (roll < weight) return value;
    roll -= weight;
  }
  return options.at(-1)![0];
}

const digits = (next: () => number, n: number) => String(Math.floor(next() * 10 ** n)).padStart(n, '0');
const mobile = (next: () => number) => `+254 7${digits(next, 2)} ${digits(next, 3)} ${digits(next, 3)}`;

function guardianFor(next: () => number, familyKey: string, kin: Kin, surname: string): GuardianRow {
  const female = FEMALE_KIN.has(kin);
  const given = FIRST_NAMES.filter((n) => EITHER_NAMES.has(n) || FEMALE_NAMES.has(n) === female);
  const first = pick(next, given);
  return {
    ...RECORD,
    id: stableUuid('demo', 'guardian', familyKey, kin),
    name: `${first} ${surname}`,
    phone: next() < 0.97 ? mobile(next) : null,
    alt_phone: next() < 0.1 ? mobile(next) : null,
    email: next() < 0.3 ? `${first}.${surname}@example.com`.toLowerCase() : null,
    address: next() < 0.4 ? `P.O. Box ${1 + Math.floor(next() * 900)}, Kilima` : null,
  };
}

/** Families of the students (in admission order): siblings share a surname and their guardians. */
export function demoFamilies(students: readonly DemoStudentBase[]): DemoFamilies {
  const next = mulberry32(20260404);
  const bySurname = new Map<string, DemoStudentBase[]>();
  for (const s of students) {
    const group = bySurname.get(s.last_name);
    if (group) group.push(s);
    else bySurname.set(s.last_name, [s]);
  }
  const out: DemoFamilies = { guardians: [], links: [], phones: new Map() };
  for (const [surname, group] of bySurname) {
    for (let i = 0; i < group.length; ) {
      const size = next() < SIBLING_FAMILIES ? (next() < 0.7 ? 2 : 3) : 1;
      const children = group.slice(i, i + size);
      i += children.length;
      const kin: Kin[] = next() < 0.65 ? ['Mother', 'Father'] : [weighted(next, SOLE_GUARDIAN)];
      const guardians = kin.map((k) => guardianFor(next, children[0]!.id, k, surname));
      const payer = kin.length === 2 && next() < 0.5 ? 1 : 0;
      out.guardians.push(...guardians);
      for (const child of children) {
        const links = guardians.map((g, gi) => ({
          ...RECORD,
          id: studentGuardianId(child.id, g.id),
          student_id: child.id,
          guardian_id: g.id,
          relationship: kin[gi]!,
          pays_fees: gi === payer,
        }));
        out.links.push(...links);
        out.phones.set(child.id, guardianPhones(links.map((l, gi) => ({ pays_fees: l.pays_fees, phone: guardians[gi]!.phone, alt_phone: guardians[gi]!.alt_phone }))));
      }
    }
  }
  return out;
}

/** A seed from a student's id: their profile does not depend on who else is in the school. */
const seedOf = (id: string) => parseInt(id.replaceAll('-', '').slice(0, 8), 16);

/** The profile fields of a student: gender from the given name (or drawn, for names both
 * carry), born in the year that puts them at their grade's usual age, and so on. */
export function demoProfile(s: DemoStudentBase): Pick<StudentRow, 'middle_name' | 'date_of_birth' | 'gender' | 'class_id' | 'medical_notes'> {
  const next = mulberry32(seedOf(s.id));
  const cls = demoClassNamed(s.class_name);
  const gender = EITHER_NAMES.has(s.first_name) ? (next() < 0.5 ? 'female' : 'male') : FEMALE_NAMES.has(s.first_name) ? 'female' : 'male';
  const level = cls?.level ?? 4;
  const born = new Date(Date.UTC((cls?.academic_year ?? 2026) - level - 6, 0, 1) + Math.floor(next() * 365) * 86_400_000);
  const middle = next() < 0.3 ? FIRST_NAMES.filter((n) => EITHER_NAMES.has(n) || FEMALE_NAMES.has(n) === (gender === 'female')) : null;
  return {
    middle_name: middle ? pick(next, middle) : null,
    date_of_birth: born.toISOString().slice(0, 10),
    gender,
    class_id: cls?.id ?? null,
    medical_notes: next() < 0.03 ? pick(next, MEDICAL_NOTES) : null,
  };
}

/** The students as the school office shows them: their class, profile and guardians' phones. */
export function withProfiles(students: readonly StudentRow[], families: DemoFamilies = demoFamilies(students)): StudentRow[] {
  return students.map((s) => ({ ...s, ...demoProfile(s), guardian_phone: families.phones.get(s.id) ?? null }));
}
