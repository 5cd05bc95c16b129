import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { GradeBand } from '../../../shared/domain/reports.js';
import type { GradingScaleView } from '../../../shared/domain/report-views.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

export interface Scale {
  id: string;
  name: string;
  bands: GradeBand[];
}

/** The school's grading scales, the default first, with the classes that chose each. */
export async function listGradingScales(db: Db): Promise<GradingScaleView[]> {
  const [scales, classes] = await Promise.all([
    db.selectFrom('grading_scales').selectAll().where('deleted', '=', 0).orderBy('is_default', 'desc').orderBy('name').orderBy('id').execute(),
    db.selectFrom('classes').select(['name', 'grading_scale_id']).where('deleted', '=', 0).where('grading_scale_id', 'is not', null).orderBy('name').execute(),
  ]);
  return scales.map((s) => ({
    id: s.id,
    name: s.name,
    bands: JSON.parse(s.bands) as GradeBand[],
    isDefault: s.is_default === 1,
    classNames: classes.filter((c) => c.grading_scale_id === s.id).map((c) => c.name),
  }));
}

/** The scale a class's report cards use: its own choice, else the school's default (null: none set up yet). */
export async function scaleForClass(db: Db, gradingScaleId: string | null): Promise<Scale | null> {
  const rows = await db
    .selectFrom('grading_scales')
    .select(['id', 'name', 'bands', 'is_default'])
    .where('deleted', '=', 0)
    .where((eb) => (gradingScaleId ? eb.or([eb('id', '=', gradingScaleId), eb('is_default', '=', 1)]) : eb('is_default', '=', 1)))
    .execute();
  const row = rows.find((r) => r.id === gradingScaleId) ?? rows.find((r) => r.is_default === 1);
  return row ? { id: row.id, name: row.name, bands: JSON.parse(row.bands) as GradeBand[] } : null;
}
