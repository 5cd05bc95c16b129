import type { Generated, Insertable, Selectable } from 'kysely';

// The device's local store. Synced tables mirror the server's rows (without tenant_id: a device
// belongs to one school); local-only tables hold the outbox and this device's sync state.

export interface StudentsTable {
  id: string;
  admission_no: string;
  first_name: string;
  last_name: string;
  class_name: string | null;
  status: 'enrolled' | 'withdrawn' | 'graduated';
  guardian_phone: string | null;
}

export interface PaymentsTable {
  id: string;
  student_id: string;
  amount_minor: number;
  currency: string;
  method: 'cash' | 'bank_transfer' | 'mobile_money' | 'cheque' | 'card';
  reference: string | null;
  receipt_no: string;
  recorded_at: string;
  recorded_by: string | null;
  device_id: string;
}

export interface OutboxTable {
  /** The per-device sequence number (AUTOINCREMENT: never reused, even after acknowledgement). */
  seq: Generated<number>;
  mutation_id: string;
  name: string;
  args: string;
  schema_version: number;
  created_at: string;
  attempts: Generated<number>;
  last_error: string | null;
}

/** Which synced rows each pending mutation wrote, so pulled data does not overwrite them (rebase). */
export interface OutboxRowsTable {
  outbox_seq: number;
  table_name: string;
  row_id: string;
}

export interface NeedsAttentionTable {
  id: Generated<number>;
  mutation_id: string;
  device_seq: number;
  name: string;
  args: string;
  reason: string;
  created_at: string;
}

export interface DeviceTable {
  id: number;
  device_id: string;
  device_name: string;
  token: string;
  server_url: string;
  school_id: string;
  school_name: string;
  currency: string;
  receipt_series: string;
  next_receipt_no: number;
  enrolled_at: string;
}

export interface SyncStateTable {
  id: number;
  shape_handle: string | null;
  shape_offset: string | null;
  last_sync_at: string | null;
}

export interface LocalDatabase {
  students: StudentsTable;
  payments: PaymentsTable;
  outbox: OutboxTable;
  outbox_rows: OutboxRowsTable;
  needs_attention: NeedsAttentionTable;
  device: DeviceTable;
  sync_state: SyncStateTable;
}

export type Student = Selectable<StudentsTable>;
export type NewStudent = Insertable<StudentsTable>;
export type Payment = Selectable<PaymentsTable>;
export type NewPayment = Insertable<PaymentsTable>;
export type OutboxEntry = Selectable<OutboxTable>;
export type Device = Selectable<DeviceTable>;
