import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ApiParsedInput } from '../../../shared/api/contract.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import type { GradingScaleView } from '../../../shared/domain/report-views.js';
import { AppError } from '../../../shared/api/errors.js';
import { gradeBandProblems } from '../../../shared/domain/reports.js';
import { uuidv7 } from '../../../shared/ids.js';
import { listGradingScales } from '../queries/grading.js';
import { saveRecords, type RecordSave } from './save-records.js';

// Grading scales: letter bands over 0–100. The school has exactly one default (the first scale
// made is it); making another the default is how the default changes.

export async function saveGradingScale(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'gradingScales.save'>): Promise<GradingScaleView> {
  const problems = gradeBandProblems(input.bands);
  if (problems.length > 0) throw new AppError('invalid_input', `The grading scale "${input.name}" cannot be saved: ${problems.join(' ')}`, problems.map((message) => ({ path: 'bands', message })));
  const id = input.id ?? uuidv7();
  await db.transaction().execute(async (tx) => {
    const scales = await tx.selectFrom('grading_scales').select(['id', 'is_default']).where('deleted', '=', 0).execute();
    const existing = scales.find((s) => s.id === id);
    if (input.id && !existing) throw new AppError('not_found', 'That grading scale is not on this computer. It may have been removed.');
    const otherDefaults = scales.filter((s) => s.is_default === 1 && s.id !== id);
    if (existing?.is_default === 1 && !input.is_default) throw new AppError('invalid_input', `"${input.name}" is the school's default scale. Make another scale the default instead.`, [{ path: 'is_default', message: 'Make another scale the default instead.' }]);
    const isDefault = input.is_default || otherDefaults.length === 0;
    const saves: RecordSave<'grading_scales'>[] = [{ id, values: { name: input.name, bands: input.bands, is_default: isDefault } }];
    if (isDefault) for (const other of otherDefaults) saves.push({ id: other.id, values: { is_default: false } });
    await saveRecords(tx, 'grading_scales', saves, author.id);
  });
  return (await listGradingScales(db)).find((s) => s.id === id)!;
}
