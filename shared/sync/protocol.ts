import { z } from 'zod';
import { MUTATION_NAMES, type MutationName } from './mutations.js';
import { StudentRow } from '../domain/students.js';
import { PaymentRow } from '../domain/payments.js';

// ---- device enrolment -------------------------------------------------------------------

export const EnrolRequest = z.object({
  enrolmentCode: z.string().trim().min(4).max(64),
  deviceName: z.string().trim().min(1).max(64),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.object({
  deviceId: z.uuid(),
  token: z.string().min(32),
  receiptSeries: z.string(),
  school: z.object({ id: z.string(), name: z.string(), currency: z.string() }),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

// ---- push (device -> server) -------------------------------------------------------------

export const MutationEnvelope = z.object({
  id: z.uuid(),
  /** Per-device sequence number: the order the device made its changes in. */
  seq: z.int().positive(),
  name: z.enum(MUTATION_NAMES as [MutationName, ...MutationName[]]),
  args: z.unknown(),
  schemaVersion: z.int().positive(),
});
export type MutationEnvelope = z.infer<typeof MutationEnvelope>;

export const MAX_PUSH_BATCH = 200;

export const PushRequest = z.object({
  mutations: z.array(MutationEnvelope).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const MutationResult = z.discriminatedUnion('status', [
  z.object({ mutationId: z.string(), status: z.literal('applied') }),
  z.object({ mutationId: z.string(), status: z.literal('rejected'), reason: z.string() }),
]);
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({ results: z.array(MutationResult) });
export type PushResponse = z.infer<typeof PushResponse>;

// ---- read path (server -> device), an Electric-compatible shape over the change log -------

export const SYNCED_TABLES = ['students', 'payments'] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

export const rowSchemas = {
  students: StudentRow,
  payments: PaymentRow,
} as const satisfies Record<SyncedTable, z.ZodType>;

export type SyncedRow<T extends SyncedTable> = z.infer<(typeof rowSchemas)[T]>;

/** The value of one shape message: a row's full merged state on the server (or its deletion). */
export interface ChangeValue {
  table: string;
  id: string;
  seq: number;
  deleted: boolean;
  row: Record<string, unknown> | null;
}

/** Column types announced in the `electric-schema` header, so the official client parses values. */
export const CHANGE_SHAPE_SCHEMA = {
  table: { type: 'text', pk_index: 0, not_null: true },
  id: { type: 'text', pk_index: 1, not_null: true },
  seq: { type: 'int8', not_null: true },
  deleted: { type: 'bool', not_null: true },
  row: { type: 'jsonb' },
} as const;

export const SHAPE_PATH = '/v1/shape';
export const PUSH_PATH = '/v1/push';
export const ENROL_PATH = '/v1/devices/enrol';
