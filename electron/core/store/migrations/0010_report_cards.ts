import type { Kysely } from 'kysely';

// Report cards look a term up by its name (assessments and comments name their term) and a
// class's scale as "its own or the default": both by index, not by scanning. Frozen.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('terms_by_name').on('terms').columns(['name']).execute();
  await db.schema.createIndex('grading_scales_by_default').on('grading_scales').columns(['is_default', 'deleted']).execute();
}
